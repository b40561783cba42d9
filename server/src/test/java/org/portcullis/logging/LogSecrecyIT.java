package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.portcullis.config.PortcullisConfig.MonitoringSettings.LogFormat;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import org.slf4j.LoggerFactory;

/**
 * A node at DEBUG stores and reads secrets in every payload form, takes an order with a
 * passphrase and some bad requests; its log, in both formats, has one access line per request
 * and no payload, passphrase, token or master KEK.
 */
class LogSecrecyIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OutputStreamAppender<ILoggingEvent> capture(LoggerContext ctx, LogFormat format,
            ByteArrayOutputStream out) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(ctx);
        appender.setName("capture-" + format);
        appender.setEncoder(LogSetup.encoder(format, ctx));
        appender.setOutputStream(out);
        appender.start();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    @Test
    void logsCarryAccessLinesAndNoSecrets() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        var jsonAppender = capture(ctx, LogFormat.JSON, json);
        var textAppender = capture(ctx, LogFormat.TEXT, text);
        List<String> secrets = new ArrayList<>();
        String project = "logs-" + UUID.randomUUID();
        int requests = 0;
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE,
                List.of("[portcullis]", "log_format = json", "log_level = DEBUG"))) {
            assertThat(root.getLevel().toString()).isEqualTo(System.getenv("PORTCULLIS_LOG_LEVEL") == null
                    ? "DEBUG" : System.getenv("PORTCULLIS_LOG_LEVEL").toUpperCase());
            secrets.add(Files.readString(server.dir().resolve("kek-1")).strip());
            secrets.add(Files.readString(server.dir().resolve("kek-2")).strip());
            String token = "token-" + UUID.randomUUID();
            secrets.add(token);
            Api api = new Api(server.url(), project);

            String plain = "plain-" + UUID.randomUUID();
            String passphrase = "passphrase-" + UUID.randomUUID();
            byte[] binary = new byte[48];
            new SecureRandom().nextBytes(binary);
            String b64 = Base64.getEncoder().encodeToString(binary);
            secrets.addAll(List.of(plain, passphrase, b64, HexFormat.of().formatHex(binary)));

            String textRef = created(api.postJson("/v1/secrets", "{\"payload\":\"" + plain
                    + "\",\"payload_content_type\":\"text/plain\"}", "X-Auth-Token", token));
            String passRef = created(api.postJson("/v1/secrets", "{\"payload\":\"" + passphrase
                    + "\",\"payload_content_type\":\"text/plain\",\"secret_type\":\"passphrase\"}"));
            String binRef = created(api.postJson("/v1/secrets", "{\"payload\":\"" + b64 + "\",\"payload_content_type\":"
                    + "\"application/octet-stream\",\"payload_content_encoding\":\"base64\"}"));
            String putRef = created(api.postJson("/v1/secrets", "{\"name\":\"later\"}"));
            byte[] put = ("put-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            secrets.add(new String(put, StandardCharsets.UTF_8));
            assertThat(api.put(putRef, "application/octet-stream", put).status()).isEqualTo(204);
            requests += 5;

            assertThat(api.get(textRef + "/payload", "Accept", "text/plain").body()).isEqualTo(plain);
            assertThat(api.get(passRef, "Accept", "text/plain").body()).isEqualTo(passphrase);
            assertThat(api.get(binRef + "/payload", "Accept", "application/octet-stream").bytes()).isEqualTo(binary);
            assertThat(api.get(putRef + "/payload", "Accept", "application/octet-stream").bytes()).isEqualTo(put);
            requests += 4;

            String orderPassphrase = "order-pass-" + UUID.randomUUID();
            secrets.add(orderPassphrase);
            assertThat(api.postJson("/v1/orders", "{\"type\":\"asymmetric\",\"meta\":{\"algorithm\":\"rsa\","
                    + "\"bit_length\":2048,\"passphrase\":\"" + orderPassphrase + "\"}}").status()).isEqualTo(202);
            // Bad requests whose bodies or queries carry secrets: refused, and not echoed into the log.
            String rejected = "rejected-" + UUID.randomUUID();
            String wrappedKey = "wrapped-" + UUID.randomUUID();
            secrets.addAll(List.of(rejected, wrappedKey));
            assertThat(api.postJson("/v1/secrets", "{\"payload\":\"" + rejected
                    + "\",\"payload_content_type\":\"text/bogus\"}").status()).isEqualTo(400);
            assertThat(api.postJson("/v1/secrets", "{\"payload\":\"" + rejected + "\"").status()).isEqualTo(400);
            api.get(textRef + "/payload?trans_wrapped_session_key=" + wrappedKey, "Accept", "text/plain");
            requests += 4;
        } finally {
            root.detachAppender(jsonAppender);
            root.detachAppender(textAppender);
            LogSetup.apply(MonitoringSettings.DEFAULTS);
        }

        String jsonLog = json.toString(StandardCharsets.UTF_8);
        String textLog = text.toString(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertThat(jsonLog).doesNotContain(secret);
            assertThat(textLog).doesNotContain(secret);
        }
        List<JsonNode> access = new ArrayList<>();
        for (String line : jsonLog.lines().toList()) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.has("time") && event.has("level") && event.has("logger") && event.has("message"))
                    .as(line).isTrue();
            if (event.path("logger").asText().equals("org.portcullis.access") && project.equals(event.path("project")
                    .asText())) {
                access.add(event);
            }
        }
        assertThat(access).hasSize(requests);
        assertThat(access).anySatisfy(e -> {
            assertThat(e.path("route").asText()).isEqualTo("/v1/secrets/{id}/payload");
            assertThat(e.path("status").asInt()).isEqualTo(200);
            assertThat(e.path("request_id").asText()).startsWith("req-");
            assertThat(e.path("duration_ms").isNumber()).isTrue();
        });
        assertThat(access).anySatisfy(e -> assertThat(e.path("status").asInt()).isEqualTo(400));
        assertThat(textLog).contains("access - req-", " -> 201 in ");
    }

    private static String created(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("secret_ref").asText();
    }
}
