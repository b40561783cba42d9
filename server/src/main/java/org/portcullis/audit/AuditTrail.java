package org.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import org.portcullis.auth.RequestContext;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import org.portcullis.http.ApiException;
import org.portcullis.http.AuditHook;
import org.portcullis.http.Exchange;
import org.portcullis.http.Json;
import org.portcullis.metrics.Metrics;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.software.SoftwareStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one CADF event per create, update, delete, payload read, ACL change,
 * preferred-store change, quota change, and per request denied with 401 or 403, each chained to
 * the one before by an HMAC ({@link AuditLine}).
 *
 * <p><b>Where events come from.</b> Each resource method calls {@link #record} where its action
 * has succeeded and before it sets its response (as Keywhiz does: explicit calls in plain sight,
 * no interception). Metadata reads and listings are not recorded; payload reads are, before the
 * payload is handed to the HTTP layer. Denials are recorded centrally by {@code HttpApp} through
 * {@link #denied}, since a 401 or 403 can come from the authenticator, the policy or an ACL.
 *
 * <p><b>Fail closed.</b> If an event cannot be written, {@link #record} throws a 503 and the
 * request's answer is that error: a payload is never returned unaudited. A create, update or
 * delete has already been committed when its event is written (the event records a fact, so it
 * follows the commit); the 503 says so, and the server log names the request, action and target.
 * After a failure every API request is refused up front ({@link #ready}) until a probe event —
 * "the trail resumes" — can be written, so at most the requests in flight at the moment of the
 * failure can change state without an event.
 *
 * <p><b>Chain across restarts and files.</b> At start the file sink's last line gives the
 * sequence number and hmac to continue from; the first event is a {@code start} event. After log
 * rotation the new file's first event is a {@code start} event that links to the previous file's
 * last hmac, so {@code audit verify old new} checks both as one chain. Each node writes its own
 * file (its own chain); events carry the node's name as observer.
 */
public final class AuditTrail implements AuditHook, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    static final String UNAVAILABLE = "The audit trail could not be written; the request was refused.";
    private static final String SYSTEM_TYPE = "service/security/keymanager";
    private static final String USER_TYPE = "service/security/account/user";
    private static final int MAX_AGENT = 256;

    private final AuditSink sink;
    private final AuditKey key;
    private final Clock clock;
    private final String observer;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    // Written by the writer thread only (and before it starts).
    private long seq;
    private byte[] prev = AuditLine.GENESIS;
    private volatile boolean broken;
    private volatile boolean closed;

    /** An event waiting for the writer thread; {@code done} completes once it is written (and synced). */
    private record Pending(AuditEvent event, CompletableFuture<Void> done) {}

    private static final Pending STOP = new Pending(null, null);
    private static final int MAX_BATCH = 1024;
    private static final long WAIT_SECONDS = 10;

    private AuditTrail(AuditSink sink, AuditKey key, Clock clock, String observer) {
        this.sink = sink;
        this.key = key;
        this.clock = clock;
        this.observer = observer;
    }

    /** No trail at all: for development only; the node says so at start. */
    public static AuditTrail disabled() {
        return new AuditTrail(null, null, Clock.systemUTC(), null);
    }

    /** As {@link #start(AuditSettings, StoreRegistry, Clock, MeterRegistry)}, unmeasured (operator commands). */
    public static AuditTrail start(AuditSettings settings, StoreRegistry stores, Clock clock) {
        return start(settings, stores, clock, Metrics.NONE);
    }

    /**
     * The node's trail as configured: disabled (with a warning), or keyed from {@code [audit]
     * hmac_key_file} or else a software store's master KEK (the global default's, else the first
     * configured), and opened, its writes, syncs and queue measured in {@code meters}. A trail
     * that cannot be opened stops the node from starting.
     */
    public static AuditTrail start(AuditSettings settings, StoreRegistry stores, Clock clock, MeterRegistry meters) {
        if (!settings.enabled()) {
            LOG.warn("audit trail DISABLED ([audit] enabled = False): nothing records who read or changed which "
                    + "secret. Only for development.");
            return disabled();
        }
        AuditKey key;
        if (settings.hmacKeyFile() != null) {
            key = AuditKey.fromFile(settings.hmacKeyFile());
        } else {
            // The global default's KEK if it has one, else the first software store's (config order):
            // an HSM, KMIP or Vault default keeps no key in this process to derive from.
            SoftwareStore software = stores.plugins().stream().filter(s -> s.info().globalDefault())
                    .filter(SoftwareStore.class::isInstance).map(SoftwareStore.class::cast).findFirst()
                    .or(() -> stores.plugins().stream().filter(SoftwareStore.class::isInstance)
                            .map(SoftwareStore.class::cast).findFirst())
                    .orElseThrow(() -> new ConfigException("[audit] hmac_key_file is required: no "
                                    + "configured secret store has a master KEK to derive the audit key from"));
            key = AuditKey.fromMasterKek(software.masterKek());
        }
        try {
            return open(settings, key, clock, meters);
        } catch (IOException e) {
            throw new ConfigException("[audit]: the audit trail cannot be written (" + e
                    + "); the server does not run without it (set [audit] file, or enabled = False for development)", e);
        }
    }

    /** Opens the configured sink, continues its chain and writes the {@code start} event. */
    public static AuditTrail open(AuditSettings settings, AuditKey key, Clock clock) throws IOException {
        return open(settings, key, clock, Metrics.NONE);
    }

    private static AuditTrail open(AuditSettings settings, AuditKey key, Clock clock, MeterRegistry meters)
            throws IOException {
        String host = hostname();
        AuditSink plain = switch (settings.sink()) {
            case FILE -> new FileAuditSink(settings.file(), settings.fsync());
            case SYSLOG -> new SyslogAuditSink(settings.syslogAddress(), settings.syslogFacility(), host, clock);
        };
        AuditSink sink = new MeteredAuditSink(plain, meters);
        try {
            AuditTrail trail = over(sink, key, clock, "portcullis@" + host);
            MeteredAuditSink.gauges(trail, meters);
            return trail;
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** A trail over any sink (tests use it with sinks that fail). */
    static AuditTrail over(AuditSink sink, AuditKey key, Clock clock, String observer) throws IOException {
        AuditTrail trail = new AuditTrail(sink, key, clock, observer);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sink", sink.describe());
        Optional<String> last = sink.lastLine();
        if (last.isPresent()) {
            if (trail.continueFrom(last.get())) {
                details.put("continues_seq", trail.seq);
            } else {
                LOG.warn("audit trail {}: its last line is not a sealed event; starting a new chain", sink.describe());
                details.put("new_chain", "the previous last line is not a sealed event");
            }
        }
        trail.writer = Thread.ofPlatform().name("audit-writer").daemon(true).start(trail::writeLoop);
        try {
            trail.submit(trail.systemEvent("node started", details)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            trail.stopWriter();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            trail.stopWriter();
            throw new IOException("the audit trail's first event was not written within " + WAIT_SECONDS + " s", e);
        }
        LOG.info("audit trail: {} (key {}), continuing at seq {}", sink.describe(), key.keyId(), trail.seq);
        return trail;
    }

    private boolean continueFrom(String line) {
        int json = line.indexOf("{\"typeURI\"");
        AuditLine.Sealed sealed = json < 0 ? null : AuditLine.split(line.substring(json));
        if (sealed == null) {
            return false;
        }
        try {
            JsonNode chain = Json.MAPPER.readTree(sealed.canonical()).path("chain");
            if (!chain.path("seq").canConvertToLong()) {
                return false;
            }
            seq = chain.path("seq").asLong();
            prev = sealed.hmac();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean enabled() {
        return sink != null;
    }

    /** Records that the caller's {@code action} on {@code target} {@code id} succeeded. */
    public void record(Exchange ex, AuditAction action, AuditTarget target, String id) {
        record(ex, action, target, id, Map.of());
    }

    /**
     * As {@link #record(Exchange, AuditAction, AuditTarget, String)}, with small facts about the
     * change ({@code details}: ids, names, counts — never payloads or keys).
     *
     * @throws ApiException 503 when the event cannot be written: the request must fail
     */
    public void record(Exchange ex, AuditAction action, AuditTarget target, String id, Map<String, ?> details) {
        if (sink == null) {
            return;
        }
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), clock.instant(), action, "success", null,
                initiator(ex), target.typeUri(), id, null, ex.method(), ex.path(), ex.requestId(), details);
        write(event, action != AuditAction.READ);
    }

    /**
     * Records a change made by this process itself (an operator command, a background job), not
     * by an API request; {@code name} says what happened. The future completes when the event is
     * durable, or fails when it cannot be written: the caller must then stop changing data.
     */
    public CompletableFuture<Void> recordSystem(AuditAction action, AuditTarget target, String id, String name,
            Map<String, ?> details) {
        if (sink == null) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(new AuditEvent(UUID.randomUUID().toString(), clock.instant(), action, "success", null,
                new AuditEvent.Initiator(SYSTEM_TYPE, observer, null, null, null, null, null), target.typeUri(), id,
                name, null, null, null, details));
    }

    @Override
    public void denied(Exchange ex, ApiException denial) {
        if (sink == null) {
            return;
        }
        List<String> segments = new ArrayList<>();
        for (String s : ex.path().split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        String name = segments.size() > 4 ? segments.get(4) : null; // e.g. the metadata key
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), clock.instant(),
                AuditAction.ofMethod(ex.method()), "failure", denial.status(), initiator(ex),
                AuditTarget.typeUriOfPath(segments), AuditTarget.idOfPath(segments), name, ex.method(), ex.path(),
                ex.requestId(), Map.of());
        write(event, false);
    }

    @Override
    public void ready() {
        if (!broken || sink == null) {
            return;
        }
        // A probe: the event says the trail resumes; if it cannot be written, nothing runs.
        AuditEvent probe = systemEvent("the trail resumes after a write failure", Map.of("sink", sink.describe()));
        try {
            await(submit(probe));
        } catch (IOException e) {
            throw new ApiException(503, UNAVAILABLE);
        }
    }

    /** Writes one event, durably as configured; a 503 {@link ApiException} if it cannot. */
    void write(AuditEvent event, boolean changed) {
        try {
            await(submit(event));
        } catch (IOException e) {
            throw failed(event, e, changed);
        }
    }

    /** Writes events in order, all submitted before waiting (one group commit); for offline commands. */
    void writeAll(List<AuditEvent> events) throws IOException {
        List<CompletableFuture<Void>> pending = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            pending.add(submit(e));
        }
        for (CompletableFuture<Void> done : pending) {
            await(done);
        }
    }

    private CompletableFuture<Void> submit(AuditEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException("the audit trail is closed"));
        } else {
            queue.add(new Pending(event, done));
        }
        return done;
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the audit sink did not complete a write within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the audit trail", e);
        }
    }

    /**
     * The writer thread: takes every event waiting, seals them in order, writes them with one
     * write and one sync (group commit: while a sync runs, the next batch gathers), then answers
     * their requests. One thread owns the chain, so no lock is needed around it.
     */
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        long seq0 = seq;
        byte[] prev0 = prev;
        boolean written = false;
        try {
            List<String> lines = new ArrayList<>(batch.size() + 1);
            String rotation = sink.rotated();
            if (rotation != null) {
                LOG.info("audit trail: {}; the new file continues the chain at seq {}", rotation, seq + 1);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reason", rotation);
                details.put("previous_seq", seq);
                details.put("previous_hmac", HexFormat.of().formatHex(prev));
                lines.add(seal(systemEvent("a new file continues the trail", details)));
            }
            for (Pending p : batch) {
                lines.add(seal(p.event()));
            }
            sink.write(lines);
            written = true;
            sink.sync();
            broken = false;
            for (Pending p : batch) {
                p.done().complete(null);
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
            if (!written) { // nothing reached the sink: the chain goes on from where it was
                seq = seq0;
                prev = prev0;
            }
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
        }
    }

    /** The next line of the chain; advances it. */
    private String seal(AuditEvent event) {
        long next = seq + 1;
        String unsealed = AuditLine.unsealed(event, observer, next, prev, key.keyId());
        byte[] hmac = AuditLine.hmac(key, prev, unsealed);
        seq = next;
        prev = hmac;
        return AuditLine.seal(unsealed, hmac);
    }

    private ApiException failed(AuditEvent event, Exception e, boolean changed) {
        broken = true;
        LOG.error("audit trail {}: could not record {} {} {} {} of request {} by user {} project {}: {}",
                sink.describe(), event.outcome(), event.action().cadf(), event.targetTypeUri(), event.targetId(),
                event.requestId(), event.initiator().userId(), event.initiator().projectId(), e.toString());
        return new ApiException(503, changed
                ? UNAVAILABLE + " The change itself was saved before the failure; check before retrying."
                : UNAVAILABLE);
    }

    private AuditEvent systemEvent(String name, Map<String, ?> details) {
        return systemEvent(AuditAction.START, name, details);
    }

    private AuditEvent systemEvent(AuditAction action, String name, Map<String, ?> details) {
        return new AuditEvent(UUID.randomUUID().toString(), clock.instant(), action, "success", null,
                new AuditEvent.Initiator(SYSTEM_TYPE, observer, null, null, null, null, null),
                AuditTarget.AUDIT_TRAIL.typeUri(), observer, name, null, null, null, details);
    }

    private static AuditEvent.Initiator initiator(Exchange ex) {
        RequestContext ctx = ex.contextOrNull();
        String agent = ex.header("User-Agent");
        if (agent != null && agent.length() > MAX_AGENT) {
            agent = agent.substring(0, MAX_AGENT);
        }
        if (ctx == null) {
            return new AuditEvent.Initiator(USER_TYPE, null, null, null, null, ex.remoteAddress(), agent);
        }
        List<String> roles = new ArrayList<>(ctx.roles());
        Collections.sort(roles);
        return new AuditEvent.Initiator(USER_TYPE, ctx.userId(), ctx.projectId(), roles, ctx.systemScope(),
                ex.remoteAddress(), agent);
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    int queueDepth() {
        return queue.size();
    }

    /** Whether API requests are refused until a probe event can be written. */
    boolean refusing() {
        return broken;
    }

    /** The path of the file sink, for tests and messages; null for other sinks. */
    Path file() {
        return sink instanceof FileAuditSink f ? Path.of(f.describe()) : null;
    }

    /** The node stops on SIGTERM after its drain: the stop event ends its chain (best effort; it goes anyway). */
    public void stopped() {
        if (sink == null || closed) {
            return;
        }
        try {
            submit(systemEvent(AuditAction.STOP, "node stopped", Map.of())).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            LOG.warn("audit trail {}: the stop event was not written: {}", sink.describe(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (sink == null || closed) {
            return;
        }
        stopWriter();
        sink.close();
    }

    /** Lets the writer finish what was submitted, then stops it. */
    private void stopWriter() {
        closed = true;
        if (writer != null) {
            queue.add(STOP);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
