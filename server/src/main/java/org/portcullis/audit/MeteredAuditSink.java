package org.portcullis.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.portcullis.metrics.Metrics;

/**
 * A sink whose writes and syncs are timed (one sample per batch: the latency every request of the
 * batch waited for), plus the trail's gauges: events queued for the writer, and whether the trail
 * refuses requests because its last write failed.
 */
final class MeteredAuditSink implements AuditSink {

    private final AuditSink sink;
    private final Timer write;
    private final Timer sync;

    MeteredAuditSink(AuditSink sink, MeterRegistry registry) {
        this.sink = sink;
        this.write = Timer.builder("portcullis.audit.write").description("Writes of a batch of audit events")
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(registry);
        this.sync = Timer.builder("portcullis.audit.fsync")
                .description("Syncs of the audit log that requests wait for ([audit] fsync = always)")
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(registry);
    }

    /** The trail's gauges; they hold the trail weakly, as Micrometer gauges do. */
    static void gauges(AuditTrail trail, MeterRegistry registry) {
        Gauge.builder("portcullis.audit.queue.depth", trail, AuditTrail::queueDepth)
                .description("Audit events waiting for the writer").register(registry);
        Gauge.builder("portcullis.audit.refusing", trail, t -> t.refusing() ? 1 : 0)
                .description("1 while the audit trail cannot be written and API requests are refused with 503")
                .register(registry);
    }

    @Override
    public Optional<String> lastLine() throws IOException {
        return sink.lastLine();
    }

    @Override
    public String rotated() throws IOException {
        return sink.rotated();
    }

    @Override
    public boolean looksWritable() {
        return sink.looksWritable();
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
        long start = System.nanoTime();
        try {
            sink.write(lines);
        } finally {
            write.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public void sync() throws IOException {
        long start = System.nanoTime();
        try {
            sink.sync();
        } finally {
            sync.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public String describe() {
        return sink.describe();
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }
}
