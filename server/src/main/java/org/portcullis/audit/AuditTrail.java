package org.portcullis.audit;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import org.portcullis.db.CommitFailedException;
import org.portcullis.db.Database;
import org.portcullis.db.Durable;
import org.portcullis.http.ApiException;
import org.portcullis.http.AuditHook;
import org.portcullis.http.Exchange;
import org.portcullis.http.ResourceIds;
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
 * <p><b>Fail closed, nothing behind.</b> If an event cannot be written, {@link #record} throws a
 * 503 and the request's answer is that error: a payload is never returned unaudited, and a change is
 * never kept unaudited. A request's changes wait in its database transaction ({@code
 * Database.inRequest}, wired by {@link AuditedTransactions}) until the handler returns and its event
 * is durable (group commit: the event's sync and the commit are shared with concurrent requests),
 * so the event is written before the commit and a refused event rolls the change back: the client gets its 503
 * and nothing was created, changed or deleted. (Committing first and compensating afterwards was
 * rejected: the undo can fail as well, and a destroyed payload cannot be brought back.) In the rare
 * case that the commit fails after the event was written, {@link #retract} appends an event saying
 * the request's change was rolled back, so the trail still states only facts. After a failure every
 * API request is refused up front ({@link #ready}) until a probe event — "the trail resumes" — can be
 * written; {@code GET /healthcheck} sends the same probe, so a node that load balancers poll
 * recovers by itself once the sink works again.
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
    static final String NOTHING_CHANGED = "Nothing was changed; retry once the service is available again.";
    private static final String SYSTEM_TYPE = "service/security/keymanager";

    private final AuditSink sink;
    private final Clock clock;
    private final String observer;
    private final AuditWriter writer;
    private volatile boolean closed;
    private volatile Database transactions;

    private AuditTrail(AuditSink sink, AuditKey key, Clock clock, String observer) {
        this.sink = sink;
        this.clock = clock;
        this.observer = observer;
        this.writer = sink == null ? null
                : new AuditWriter(sink, key, observer, details -> systemEvent("a new file continues the trail", details));
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

    private static AuditTrail open(AuditSettings settings, AuditKey key, Clock clock, MeterRegistry meters) throws IOException {
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
            if (trail.writer.continueFrom(last.get())) {
                details.put("continues_seq", trail.writer.seq());
            } else {
                LOG.warn("audit trail {}: its last line is not a sealed event; starting a new chain", sink.describe());
                details.put("new_chain", "the previous last line is not a sealed event");
            }
        }
        trail.writer.start();
        try {
            AuditWriter.await(trail.writer.submit(trail.systemEvent("node started", details)));
        } catch (IOException e) {
            trail.writer.stop();
            throw e;
        }
        LOG.info("audit trail: {} (key {}), continuing at seq {}", sink.describe(), key.keyId(), trail.writer.seq());
        return trail;
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
        AuditEvent event = new AuditEvent(ResourceIds.correlationId(), clock.instant(), action, "success", null,
                AuditRequests.initiator(ex), target.typeUri(), id, null, ex.method(), ex.path(), ex.requestId(), details);
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
        return writer.submit(new AuditEvent(ResourceIds.correlationId(), clock.instant(), action, "success", null,
                new AuditEvent.Initiator(SYSTEM_TYPE, observer, null, null, null, null, null), target.typeUri(), id,
                name, null, null, null, details));
    }

    @Override
    public void denied(Exchange ex, ApiException denial) {
        if (sink == null) {
            return;
        }
        List<String> segments = AuditRequests.segments(ex.path());
        String name = segments.size() > 4 ? segments.get(4) : null; // e.g. the metadata key
        AuditEvent event = new AuditEvent(ResourceIds.correlationId(), clock.instant(),
                AuditAction.ofMethod(ex.method()), "failure", denial.status(), AuditRequests.initiator(ex),
                AuditTarget.typeUriOfPath(segments), AuditTarget.idOfPath(segments), name, ex.method(), ex.path(),
                ex.requestId(), Map.of());
        write(event, false);
    }

    /**
     * Refuses a request up front while the trail cannot be written. The sink's look is the writer
     * thread's of the last second ({@link AuditWriter#looksWritable}), not a system call per
     * request: a file or directory that vanished within that second still fails the request's own
     * event (the writer checks the path before every batch), which refuses and rolls back an audited
     * request all the same; only a request that writes no event can pass in that second.
     */
    @Override
    public void ready() {
        if (sink == null || (!writer.broken() && writer.looksWritable())) {
            return;
        }
        if (!writable()) {
            // refused before the request ran: nothing of it can have been changed
            throw new ApiException(503, UNAVAILABLE + " " + NOTHING_CHANGED);
        }
    }

    /**
     * Whether events can be written now: true unless the last write failed (or the sink looks
     * unwritable) and a probe event — "the trail resumes" — cannot be written either. Each call
     * while the trail is broken sends one probe, so requests and health checks are what bring the
     * trail back; a healthy trail is only looked at, so health polls add no events.
     */
    public boolean writable() {
        if (sink == null) {
            return true;
        }
        boolean looks = sink.looksWritable();
        writer.looked(looks);
        if (!writer.broken() && looks) {
            return true;
        }
        AuditEvent probe = systemEvent("the trail resumes after a write failure", Map.of("sink", sink.describe()));
        try {
            AuditWriter.await(writer.submit(probe));
            LOG.info("audit trail {}: writable again; requests are served", sink.describe());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where events go (file path or syslog address); null when disabled. */
    public String describe() {
        return sink == null ? null : sink.describe();
    }

    /**
     * Says that the change of request {@code ex}, whose event was written, was then rolled back because its
     * commit failed (or, if the COMMIT's answer was lost, that the outcome is unknown): the trail must not keep
     * a change that did not happen. If even this cannot be written the server log says it.
     */
    public void retract(Exchange ex, Exception cause) {
        if (sink == null) {
            return;
        }
        String reason = cause instanceof CommitFailedException c && c.outcomeUnknown()
                ? "outcome unknown: the commit's answer was lost" : "rolled back: the commit failed";
        AuditEvent event = new AuditEvent(ResourceIds.correlationId(), clock.instant(), AuditAction.ofMethod(ex.method()),
                "failure", 500, AuditRequests.initiator(ex), AuditTarget.typeUriOfPath(AuditRequests.segments(ex.path())),
                AuditTarget.idOfPath(AuditRequests.segments(ex.path())), reason, ex.method(), ex.path(),
                ex.requestId(), Map.of());
        try {
            AuditWriter.await(writer.submit(event));
        } catch (IOException e) {
            writer.markBroken();
            LOG.error("audit trail {}: request {}'s change was recorded, then its commit failed ({}), and the "
                    + "retraction ({}) could not be written: the trail may show a change that did not happen",
                    sink.describe(), ex.requestId(), cause.toString(), reason);
        }
    }

    /**
     * Writes one event, durably as configured; a 503 {@link ApiException} if it cannot. Inside a
     * request that changed something the event's place in the chain is fixed now, and the wait for
     * its sync moves to the request's commit (which fails with that 503 if the write fails): the
     * request's batch shares one audit sync and one database commit with the requests around it.
     */
    void write(AuditEvent event, boolean changed) {
        CompletableFuture<Void> done = writer.submit(event);
        Database db = transactions;
        // No timer per event: the writer's watchdog fails an event that waits too long.
        if (db != null && db.commitAfter(new Durable(done,
                e -> failed(event, e instanceof Exception x ? x : new IOException(e), changed)))) {
            return;
        }
        try {
            AuditWriter.await(done);
        } catch (IOException e) {
            throw failed(event, e, changed);
        }
    }

    /** Lets events of requests that run in {@code db}'s transactions wait for their commit ({@link #write}). */
    void commitsIn(Database db) {
        transactions = db;
    }

    /** Writes events in order, all submitted before waiting (one group commit); for offline commands. */
    void writeAll(List<AuditEvent> events) throws IOException {
        List<CompletableFuture<Void>> pending = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            pending.add(writer.submit(e));
        }
        for (CompletableFuture<Void> done : pending) {
            AuditWriter.await(done);
        }
    }

    private ApiException failed(AuditEvent event, Exception e, boolean changed) {
        if (e instanceof IOException) { // the sink failed (an event that could not be rendered leaves it as it was)
            writer.markBroken();
        }
        LOG.error("audit trail {}: could not record {} {} {} {} of request {} by user {} project {}: {}",
                sink.describe(), event.outcome(), event.action().cadf(), event.targetTypeUri(), event.targetId(),
                event.requestId(), event.initiator().userId(), event.initiator().projectId(), e.toString());
        return new ApiException(503, changed ? UNAVAILABLE + " " + NOTHING_CHANGED : UNAVAILABLE);
    }

    private AuditEvent systemEvent(String name, Map<String, ?> details) {
        return systemEvent(AuditAction.START, name, details);
    }

    private AuditEvent systemEvent(AuditAction action, String name, Map<String, ?> details) {
        return new AuditEvent(ResourceIds.correlationId(), clock.instant(), action, "success", null,
                new AuditEvent.Initiator(SYSTEM_TYPE, observer, null, null, null, null, null),
                AuditTarget.AUDIT_TRAIL.typeUri(), observer, name, null, null, null, details);
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
        return writer.queueDepth();
    }

    /** Whether API requests are refused until a probe event can be written. */
    boolean refusing() {
        return writer.broken();
    }

    /** The node stops on SIGTERM after its drain: the stop event ends its chain (best effort; it goes anyway). */
    public void stopped() {
        if (sink == null || closed) {
            return;
        }
        try {
            writer.submit(systemEvent(AuditAction.STOP, "node stopped", Map.of()))
                    .get(AuditWriter.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            LOG.warn("audit trail {}: the stop event was not written: {}", sink.describe(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (sink == null || closed) {
            return;
        }
        closed = true;
        writer.stop();
        sink.close();
    }
}
