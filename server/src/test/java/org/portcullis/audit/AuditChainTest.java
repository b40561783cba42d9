package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.audit.Lines.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;
import org.portcullis.http.ApiException;
import org.portcullis.http.Json;

/** The chain as written by {@link AuditTrail} and {@link FileAuditSink}, and what {@link AuditVerifier} catches. */
class AuditChainTest {
    private static final AuditKey KEY = AuditKey.of(bytes(7), "test key");
    private static final AuditKey OTHER = AuditKey.of(bytes(9), "another key");

    @TempDir
    Path dir;
    private Path file;
    private AuditTrail trail;

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 13 + i);
        }
        return b;
    }

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("audit.log");
        trail = open(Fsync.ALWAYS);
    }

    private AuditTrail open(Fsync fsync) throws IOException {
        return AuditTrail.over(new FileAuditSink(file, fsync), KEY, Clock.systemUTC(), "node-a");
    }

    @AfterEach
    void close() throws IOException {
        trail.close();
    }

    private void record(int n) {
        for (int i = 0; i < n; i++) {
            trail.write(event(i % 2 == 0 ? "alice" : "bob", AuditAction.READ, "secret-" + i), false);
        }
    }

    private static AuditVerifier.Report verify(List<Path> files, AuditKey... keys) throws IOException {
        Map<String, AuditKey> byId = new java.util.LinkedHashMap<>();
        for (AuditKey k : keys) {
            byId.put(k.keyId(), k);
        }
        return AuditVerifier.verify(files, byId);
    }

    private AuditVerifier.Report verify() throws IOException {
        return verify(List.of(file), KEY);
    }

    @Test
    void anIntactTrailVerifies() throws IOException {
        record(5);
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(6); // the start event, then five
        assertThat(r.message()).startsWith("6 events, chain intact (seq 1 to 6)");
    }

    @Test
    void anEditedLineIsCaughtAndNamed() throws IOException {
        record(5);
        List<String> lines = Lines.read(file);
        lines.set(3, lines.get(3).replace("\"alice\"", "\"mallory\""));
        Lines.write(file, lines);
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).isFalse();
        assertThat(r.message()).contains("line 4 (seq 4)").contains("the line was edited");
    }

    @Test
    void evenAWhitespaceEditBreaksTheLine() throws IOException {
        record(3);
        List<String> lines = Lines.read(file);
        lines.set(1, lines.get(1).replace("\"action\":\"read\"", "\"action\": \"read\""));
        Lines.write(file, lines);
        assertThat(verify().message()).contains("line 2 (seq 2)").contains("edited");
    }

    @Test
    void aDeletedLineBreaksTheNextLink() throws IOException {
        record(5);
        List<String> lines = Lines.read(file);
        lines.remove(2);
        Lines.write(file, lines);
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).isFalse();
        assertThat(r.message()).contains("line 3 (seq 4)").contains("deleted, inserted or reordered");
    }

    @Test
    void reorderedLinesAreCaught() throws IOException {
        record(5);
        List<String> lines = Lines.read(file);
        Collections.swap(lines, 2, 3);
        Lines.write(file, lines);
        assertThat(verify().message()).contains("line 3 (seq 4): broken link");
    }

    @Test
    void theWrongKeyIsToldApartFromAnEdit() throws IOException {
        record(2);
        AuditVerifier.Report r = verify(List.of(file), OTHER);
        assertThat(r.intact()).isFalse();
        assertThat(r.message()).contains("line 1 (seq 1)").contains("wrong key").contains(KEY.keyId())
                .contains(OTHER.keyId());
    }

    @Test
    void aTruncatedTailIsReported() throws IOException {
        record(4);
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 30);
        }
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).isFalse();
        assertThat(r.message()).contains("line 5").contains("truncated");
    }

    @Test
    void aRestartContinuesTheChain() throws IOException {
        record(3);
        trail.close();
        trail = open(Fsync.ALWAYS);
        record(2);
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(7);
        JsonNode restart = Json.MAPPER.readTree(Lines.read(file).get(4));
        assertThat(restart.get("action").asText()).isEqualTo("start");
        assertThat(restart.get("chain").get("seq").asLong()).isEqualTo(5);
        assertThat(restart.get("attachments").get(0).get("content").get("continues_seq").asLong()).isEqualTo(4);
    }

    @Test
    void aLineCutShortByACrashIsKeptAndReportedWhileTheChainGoesOn() throws IOException {
        record(2);
        trail.close();
        Files.writeString(file, "{\"typeURI\":\"http://schemas.dmtf.org/cl", StandardOpenOption.APPEND);
        trail = open(Fsync.ALWAYS);
        record(1);
        List<String> lines = Lines.read(file);
        assertThat(lines).hasSize(6);
        assertThat(verify().message()).contains("line 4: not a sealed audit event");
        lines.remove(3); // without the cut line the chain is whole: nothing else was lost
        Lines.write(file, lines);
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void aRotatedFileContinuesTheChainOfThePreviousOne() throws IOException {
        record(3);
        Path old = dir.resolve("audit.log.1");
        Files.move(file, old); // logrotate's default: rename, then the writer starts a new file
        record(2);
        assertThat(Files.exists(file)).isTrue();
        List<String> fresh = Lines.read(file);
        JsonNode first = Json.MAPPER.readTree(fresh.get(0));
        assertThat(first.get("action").asText()).isEqualTo("start");
        assertThat(first.get("target").get("name").asText()).isEqualTo("a new file continues the trail");
        List<String> oldLines = Lines.read(old);
        String lastOldHmac = Json.MAPPER.readTree(oldLines.get(oldLines.size() - 1)).get("chain").get("hmac").asText();
        assertThat(first.get("chain").get("prev").asText()).isEqualTo(lastOldHmac);
        assertThat(first.get("attachments").get(0).get("content").get("previous_hmac").asText()).isEqualTo(lastOldHmac);

        AuditVerifier.Report both = verify(List.of(old, file), KEY);
        assertThat(both.intact()).as(both.message()).isTrue();
        assertThat(both.events()).isEqualTo(4 + 3);
        AuditVerifier.Report alone = verify(List.of(file), KEY);
        assertThat(alone.intact()).isTrue();
        assertThat(alone.message()).contains("links to an earlier file");
        assertThat(verify(List.of(file, old), KEY).message()).contains("audit.log.1 line 1").contains("out of order");
    }

    @Test
    void copyTruncateIsDetectedToo() throws IOException {
        record(2);
        Path copy = dir.resolve("audit.log.1");
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        record(2);
        List<String> fresh = Lines.read(file);
        assertThat(fresh).hasSize(3);
        assertThat(fresh.get(0)).contains("copytruncate");
        AuditVerifier.Report r = verify(List.of(copy, file), KEY);
        assertThat(r.intact()).as(r.message()).isTrue();
    }

    @Test
    void theEventIsCadfShaped() throws IOException {
        record(1);
        JsonNode e = Json.MAPPER.readTree(Lines.read(file).get(1));
        assertThat(e.get("typeURI").asText()).isEqualTo("http://schemas.dmtf.org/cloud/audit/1.0/event");
        assertThat(e.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(e.get("eventType").asText()).isEqualTo("activity");
        assertThat(e.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(Instant.parse(e.get("eventTime").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(e.get("action").asText()).isEqualTo("read");
        assertThat(e.get("outcome").asText()).isEqualTo("success");
        JsonNode initiator = e.get("initiator");
        assertThat(initiator.get("typeURI").asText()).isEqualTo("service/security/account/user");
        assertThat(initiator.get("id").asText()).isEqualTo("alice");
        assertThat(initiator.get("project_id").asText()).isEqualTo("project-1");
        assertThat(initiator.get("roles").toString()).isEqualTo("[\"admin\",\"member\"]");
        assertThat(initiator.get("host").get("address").asText()).isEqualTo("192.0.2.7");
        assertThat(e.get("target").get("typeURI").asText()).isEqualTo("service/security/keymanager/secrets");
        assertThat(e.get("target").get("id").asText()).isEqualTo("secret-0");
        assertThat(e.get("observer").get("id").asText()).isEqualTo("target");
        assertThat(e.get("observer").get("name").asText()).isEqualTo("node-a");
        assertThat(e.get("request_id").asText()).startsWith("req-");
        JsonNode chain = e.get("chain");
        assertThat(chain.get("seq").asLong()).isEqualTo(2);
        assertThat(chain.get("prev").asText()).matches("[0-9a-f]{64}");
        assertThat(chain.get("key_id").asText()).isEqualTo(KEY.keyId());
        assertThat(chain.get("hmac").asText()).matches("[0-9a-f]{64}");
        // chain is the last member and hmac the last of all: what the canonical form relies on
        assertThat(Lines.read(file).get(1)).endsWith("\"hmac\":\"" + chain.get("hmac").asText() + "\"}}");
    }

    @Test
    void aFileFirstChainStartsAtGenesis() throws IOException {
        JsonNode start = Json.MAPPER.readTree(Lines.read(file).get(0));
        assertThat(start.get("chain").get("seq").asLong()).isEqualTo(1);
        assertThat(start.get("chain").get("prev").asText()).isEqualTo("0".repeat(64));
        assertThat(start.get("initiator").get("typeURI").asText()).isEqualTo("service/security/keymanager");
    }

    @Test
    void aFailingSinkRefusesWithA503UntilItRecovers() throws IOException {
        MemorySink sink = new MemorySink();
        AuditTrail flaky = AuditTrail.over(sink, KEY, Clock.systemUTC(), "node-b");
        sink.failing = true;
        assertThatThrownBy(() -> flaky.write(event("alice", AuditAction.READ, "s1"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.description()).isEqualTo(AuditTrail.UNAVAILABLE);
                });
        assertThatThrownBy(() -> flaky.write(event("alice", AuditAction.DELETE, "s1"), true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.description()).contains("Nothing was changed"));
        assertThatThrownBy(flaky::ready).isInstanceOf(ApiException.class);
        sink.failing = false;
        flaky.ready(); // writes the "resumes" probe
        flaky.write(event("alice", AuditAction.READ, "s2"), false);
        assertThat(sink.lines).hasSize(3);
        assertThat(sink.lines.get(1)).contains("the trail resumes after a write failure");
        Path copy = dir.resolve("flaky.log");
        Lines.write(copy, sink.lines);
        assertThat(verify(List.of(copy), KEY).intact()).isTrue(); // failed writes did not advance the chain
    }

    @Test
    void aRemovedDirectoryFailsClosedAndTheTrailResumesWhenItIsBack() throws IOException {
        Path sub = dir.resolve("logs");
        Files.createDirectories(sub);
        Path f = sub.resolve("audit.log");
        AuditTrail t = AuditTrail.over(new FileAuditSink(f, Fsync.ALWAYS), KEY, Clock.systemUTC(), "node-c");
        t.write(event("alice", AuditAction.READ, "s1"), false);
        Path moved = dir.resolve("logs-archived");
        Files.move(sub, moved);
        assertThatThrownBy(() -> t.write(event("alice", AuditAction.READ, "s2"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(t::ready).isInstanceOf(ApiException.class);
        Files.createDirectories(sub);
        t.ready();
        t.write(event("alice", AuditAction.READ, "s3"), false);
        t.close();
        AuditVerifier.Report r = verify(List.of(moved.resolve("audit.log"), f), KEY);
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(2 + 3); // the s2 event was refused, never written
    }

    @Test
    void concurrentWritersShareFsyncsAndKeepOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> record(100)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(801);
    }

    @Test
    void aBatchLargerThanTheSinksBufferIsWrittenWholeAndTheBufferServesTheNextOne() throws IOException {
        List<AuditEvent> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // about 200 kB: the file sink's 16 kB buffer grows for it
            burst.add(event("user-" + "x".repeat(i), AuditAction.READ, "secret-" + i));
        }
        trail.writeAll(burst);
        record(2);
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(1 + 300 + 2);
    }

    @Test
    void intervalAndNeverFsyncWriteTheSameChain() throws IOException {
        for (Fsync mode : List.of(Fsync.INTERVAL, Fsync.NEVER)) {
            trail.close();
            trail = open(mode);
            record(3);
        }
        assertThat(verify().intact()).isTrue();
        assertThat(verify().events()).isEqualTo(1 + 1 + 3 + 1 + 3);
    }

    @Test
    void aSyslogPrefixBeforeTheJsonIsSkipped() throws IOException {
        record(2);
        List<String> lines = Lines.read(file);
        lines.replaceAll(l -> "Nov 23 10:15:30 host portcullis[42]: " + l);
        Lines.write(file, lines);
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void theLinesHoldNoNewlinesOfTheirOwn() throws IOException {
        trail.write(new AuditEvent("x", Instant.now(), AuditAction.UPDATE, "success", null,
                new AuditEvent.Initiator("service/security/account/user", "eve\nforged line", "p", List.of(), null,
                        null, null),
                AuditTarget.SECRET_METADATA.typeUri(), "s", null, "PUT", "/v1/x", "req-1", Map.of("key", "a\r\nb")), true);
        assertThat(Files.readString(file, StandardCharsets.UTF_8).split("\n")).hasSize(2);
        assertThat(verify().intact()).isTrue();
    }
}
