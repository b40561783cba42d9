package org.portcullis.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The node's meters, exposed in Prometheus text format by Micrometer's Prometheus registry (no
 * exposition is written here). Components receive only the {@link MeterRegistry} and register
 * their own meters; this class adds the JVM's and the build's.
 *
 * <p>Label rule for every meter in Portcullis: values come from small fixed sets (route
 * templates, methods, statuses, store names from the configuration, operation names). Never a
 * secret, a secret's name, an id, a project or a user: each distinct value is a new series in
 * Prometheus, and ids would make their number unbounded.
 */
public final class Metrics implements AutoCloseable {
    /** Prometheus text format 0.0.4, which every Prometheus version scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** For components built without metrics (tests, operator commands): meters that record nothing. */
    public static final MeterRegistry NONE = new CompositeMeterRegistry();

    /**
     * Histogram buckets of every latency Portcullis measures: from a cached lookup (1 ms) to a
     * backend timing out (10 s), few enough that a histogram per route stays cheap to scrape.
     */
    public static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private Metrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
        this.registry = registry;
        this.gc = gc;
    }

    /** A registry with JVM, process and build meters bound. */
    public static Metrics create(String version) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        Gauge.builder("portcullis.build.info", () -> 1)
                .description("The running build: its version and the Java runtime's")
                .tag("version", version)
                .tag("java_version", Runtime.version().toString())
                .register(registry);
        return new Metrics(registry, gc);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter, in Prometheus text format ({@link #CONTENT_TYPE}). */
    public byte[] scrape() {
        return registry.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
