package org.portcullis.quotas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.testing.ApiErrors.assertApiError;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;

class QuotaRequestsTest {
    private static Map<Resource, Integer> parse(String body) {
        return QuotaRequests.projectQuotas(Json.parse(body.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRejected(String body, String description) {
        assertApiError(() -> parse(body), 400).hasMessage(description);
    }

    @Test
    void everyQuotaMayBeSet() {
        assertThat(parse("{'project_quotas':{'secrets':1,'orders':5,'containers':6,'consumers':7,'cas':0}}"))
                .containsExactly(Map.entry(Resource.SECRETS, 1), Map.entry(Resource.ORDERS, 5),
                        Map.entry(Resource.CONTAINERS, 6), Map.entry(Resource.CONSUMERS, 7), Map.entry(Resource.CAS, 0));
    }

    @Test
    void absentQuotasAreLeftOutNotNulled() {
        assertThat(parse("{'project_quotas':{'orders':-1}}")).containsExactly(Map.entry(Resource.ORDERS, -1));
        assertThat(parse("{'project_quotas':{}}")).isEmpty();
    }

    @Test
    void integersFromMinusOneAreAccepted() {
        // jsonschema's integer includes 1.0; -1 means unlimited, 0 disabled.
        assertThat(parse("{'project_quotas':{'secrets':10.0,'orders':-1,'cas':0}}")).containsExactly(
                Map.entry(Resource.SECRETS, 10), Map.entry(Resource.ORDERS, -1), Map.entry(Resource.CAS, 0));
        assertThat(parse("{'project_quotas':{'secrets':2147483647}}")).containsEntry(Resource.SECRETS, Integer.MAX_VALUE);
    }

    @Test
    void schemaViolationsAreWordedAsBarbican() {
        String prefix = "Provided object does not match schema 'Project Quota': ";
        assertRejected("[1]", prefix + "[1] is not of type 'object'. Invalid property: 'None'");
        assertRejected("{}", prefix + "'project_quotas' is a required property. Invalid property: 'None'");
        assertRejected("{'project_quotas':{},'x':1,'y':2}",
                prefix + "Additional properties are not allowed ('x', 'y' were unexpected). Invalid property: 'None'");
        assertRejected("{'project_quotas':5}", prefix + "5 is not of type 'object'. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secret':1}}",
                prefix + "Additional properties are not allowed ('secret' was unexpected). Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secrets':' 5 '}}",
                prefix + "'5' is not of type 'integer'. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secrets':true}}",
                prefix + "True is not of type 'integer'. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secrets':null}}",
                prefix + "None is not of type 'integer'. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secrets':1.5}}",
                prefix + "1.5 is not of type 'integer'. Invalid property: 'project_quotas'");
        // The shallowest error wins, as jsonschema's best match picks it.
        assertRejected("{'project_quotas':{'secrets':'a','bogus':1}}",
                prefix + "Additional properties are not allowed ('bogus' was unexpected). Invalid property: 'project_quotas'");
        assertRejected("{'x':1}", prefix + "'project_quotas' is a required property. Invalid property: 'None'");
    }

    @Test
    void negativeValuesOtherThanMinusOneAre400() {
        String prefix = "Provided object does not match schema 'Project Quota': ";
        assertRejected("{'project_quotas':{'secrets':-5}}",
                prefix + "-5 is less than the minimum of -1. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'orders':-2.0}}",
                prefix + "-2.0 is less than the minimum of -1. Invalid property: 'project_quotas'");
    }

    @Test
    void valuesBeyondTheColumnAre400NotA500() {
        String prefix = "Provided object does not match schema 'Project Quota': ";
        assertRejected("{'project_quotas':{'secrets':2147483648}}",
                prefix + "2147483648 is greater than the maximum of 2147483647. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'cas':-99999999999999999999}}", prefix
                + "-99999999999999999999 is less than the minimum of -1. Invalid property: 'project_quotas'");
        assertRejected("{'project_quotas':{'secrets':1e300}}",
                prefix + "1e+300 is greater than the maximum of 2147483647. Invalid property: 'project_quotas'");
    }
}
