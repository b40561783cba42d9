package org.portcullis.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.testing.ApiErrors.assertApiError;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.TestDatabases;

abstract class ContainerConsumersApiIT extends ContainerApiFixture {
    @Test
    void consumerLifecycle() {
        Api as = project();
        String ref = create(as, containerBody("generic", "lb", "k=" + as.createText("k")));
        String updatedBefore = as.get(ref).json().get("updated").asText();

        Response reg = as.postJson(ref + "/consumers", "{\"name\":\"lbaas\",\"URL\":\"http://lb.example/1\"}");
        assertThat(reg.status()).isEqualTo(200);
        assertThat(reg.header("Location")).isEqualTo(ref + "/consumers");
        JsonNode c = reg.json();
        assertThat(c.get("container_ref").asText()).isEqualTo(ref);
        assertThat(c.get("consumers")).hasSize(1);
        assertThat(c.get("consumers").get(0).get("name").asText()).isEqualTo("lbaas");
        assertThat(c.get("consumers").get(0).get("URL").asText()).isEqualTo("http://lb.example/1");
        assertThat(c.get("consumers").get(0).size()).isEqualTo(2);
        assertThat(c.get("updated").asText().compareTo(updatedBefore)).isGreaterThanOrEqualTo(0);

        // Registering again changes nothing.
        assertThat(as.postJson(ref + "/consumers", "{\"name\":\"lbaas\",\"URL\":\"http://lb.example/1\"}")
                .json().get("consumers")).hasSize(1);
        assertThat(as.postJson(ref + "/consumers", "{\"name\":\"app\",\"URL\":\"http://app.example/\"}")
                .json().get("consumers")).hasSize(2);

        JsonNode list = as.get(ref + "/consumers").json();
        assertThat(list.get("total").asInt()).isEqualTo(2);
        assertThat(list.get("consumers").get(0).get("name").asText()).isEqualTo("app");
        JsonNode entry = list.get("consumers").get(1);
        assertThat(entry.get("URL").asText()).isEqualTo("http://lb.example/1");
        assertThat(entry.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(entry.get("created").asText()).matches(TS);
        JsonNode page = as.get(ref + "/consumers?limit=1").json();
        assertThat(page.get("consumers")).hasSize(1);
        assertThat(page.get("next").asText()).isEqualTo(ref + "/consumers?limit=1&offset=1");
        assertThat(as.get(ref).json().get("consumers")).hasSize(2);

        assertThat(as.postJson(ref + "/consumers", "{\"name\":\"x\"}").status()).isEqualTo(400);
        assertThat(as.send("POST", ref + "/consumers", "text/plain", "{}".getBytes()).status()).isEqualTo(415);

        Response removed = deleteJson(as, ref + "/consumers", "{\"name\":\"lbaas\",\"URL\":\"http://lb.example/1\"}");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("consumers")).hasSize(1);
        Response again = deleteJson(as, ref + "/consumers", "{\"name\":\"lbaas\",\"URL\":\"http://lb.example/1\"}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("description").asText()).isEqualTo("Consumer not found.");
        assertThat(deleteJson(as, ref + "/consumers", "{\"name\":\"lbaas\"}").status()).isEqualTo(400);

        // Deleting the container takes its consumers along.
        assertThat(as.delete(ref).status()).isEqualTo(204);
        int left = server.app().database().read(h -> h.createQuery(
                "SELECT count(*) FROM container_consumers WHERE container_id = :c").bind("c", idOf(ref))
                .mapTo(Integer.class).one());
        assertThat(left).isZero();
        assertThat(as.get(ref + "/consumers").status()).isEqualTo(404);
    }

    @Test
    void consumerById() {
        Api as = project();
        String ref = create(as, containerBody("generic", "byid", "k=" + as.createText("k")));
        as.postJson(ref + "/consumers", "{\"name\":\"svc\",\"URL\":\"http://svc/1\"}");
        String consumerId = server.app().database().read(h -> h.createQuery(
                "SELECT id FROM container_consumers WHERE container_id = :c").bind("c", idOf(ref))
                .mapTo(String.class).one());
        JsonNode c = as.get(ref + "/consumers/" + consumerId).json();
        assertThat(c.get("name").asText()).isEqualTo("svc");
        assertThat(c.get("URL").asText()).isEqualTo("http://svc/1");
        assertThat(as.get(ref + "/consumers/" + UUID.randomUUID()).json().get("description").asText())
                .isEqualTo("Consumer not found.");
        assertThat(as.get(ref + "/consumers/nope").json().get("description").asText())
                .isEqualTo("Not Found. Provided consumer id is invalid.");
    }

    /**
     * Only the project that registered a consumer, or the container's own project, may remove it.
     * Reaching this needs callers from other projects that may use the container, i.e. ACL users;
     * the service is driven directly with an ACL that grants read to everyone.
     */
    @Test
    void onlyTheRegisteringProjectOrTheOwnerRemovesAConsumer() {
        Api owner = project();
        String id = idOf(create(owner, containerBody("generic", "shared", "k=" + owner.createText("k"))));
        ContainerService service = service((ctx, cid) -> new PolicyTarget.AclView(true, true));
        RequestContext b = RequestContext.project("proj-b-" + UUID.randomUUID(), "ub", Set.of("member"), "r");
        RequestContext c = RequestContext.project("proj-c-" + UUID.randomUUID(), "uc", Set.of("member"), "r");
        ConsumerRef consumer = new ConsumerRef("svc-b", "http://b/1");
        assertThat(service.addConsumer(b, service.authorized(b, id, "container_consumers:post"), consumer).consumers())
                .hasSize(1);
        assertApiError(() -> service.removeConsumer(c, service.authorized(c, id, "container_consumers:delete"), consumer), 403)
                .hasMessage("Not Allowed. Sorry, only the creator of a consumer can delete it.");
        assertThat(service.consumers(b, id, new Paging(10, 0)).total()).isEqualTo(1);
        assertThat(service.removeConsumer(b, service.authorized(b, id, "container_consumers:delete"), consumer).consumers())
                .isEmpty();

        // The container's project may remove anyone's registration.
        service.addConsumer(c, service.authorized(c, id, "container_consumers:post"), new ConsumerRef("svc-c", "http://c/1"));
        Response removed = deleteJson(owner, "/v1/containers/" + id + "/consumers",
                "{\"name\":\"svc-c\",\"URL\":\"http://c/1\"}");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("consumers")).isEmpty();
    }
}

class ContainerConsumersApiSqliteIT extends ContainerConsumersApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class ContainerConsumersApiPostgresIT extends ContainerConsumersApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
