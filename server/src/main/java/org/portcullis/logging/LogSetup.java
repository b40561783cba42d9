package org.portcullis.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [portcullis] log_format} and {@code log_level} to the stderr log that
 * {@link StderrLogConfigurator} sets up (logging starts before the configuration is read, so the settings are
 * applied once they are known). {@code PORTCULLIS_LOG_LEVEL} in the environment wins over
 * {@code log_level}, so one run can be made verbose without editing the file. The node's stderr
 * log is written by a thread of its own ({@link AsyncLineAppender}): an access line a request
 * logs costs it a hand-over, not a write under a lock.
 */
public final class LogSetup {
    private static final String STDERR = StderrLogConfigurator.APPENDER;
    private static final AtomicBoolean FLUSH_AT_EXIT = new AtomicBoolean();
    private static final String SLF4J_PROVIDER = "slf4j.provider";
    private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";
    /** The text format's layout; {@link StderrLogConfigurator} starts with the same. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{20} - %msg%n";

    private LogSetup() {}

    /**
     * Names logback as SLF4J's provider before the first logger is asked for, so SLF4J loads it
     * directly instead of looking for providers with a ServiceLoader over the whole class path (a
     * tenth of the main thread's CPU before a node could answer, bench/start.sh). SLF4J reports
     * that choice at its info level on stderr: its own reporting is kept to warnings and errors.
     * Settings given on the command line win.
     */
    public static void bindBackend() {
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            System.setProperty(SLF4J_PROVIDER, LogbackServiceProvider.class.getName());
            if (System.getProperty(SLF4J_VERBOSITY) == null) {
                System.setProperty(SLF4J_VERBOSITY, "WARN");
            }
        }
    }

    public static void apply(MonitoringSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend (embedding): its own configuration rules
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        String env = System.getenv("PORTCULLIS_LOG_LEVEL");
        String level = env != null && !env.isBlank() ? env : settings.logLevel();
        root.setLevel(Level.toLevel(level, Level.INFO));
        Appender<ILoggingEvent> stderr = root.getAppender(STDERR);
        if (stderr instanceof AsyncLineAppender async) {
            async.encoder(encoder(settings.logFormat(), context));
        } else if (stderr instanceof ConsoleAppender<ILoggingEvent> console) {
            // StderrLogConfigurator's console appender, replaced by one that writes off the request threads.
            AsyncLineAppender async = new AsyncLineAppender();
            async.setContext(context);
            async.setName(STDERR);
            async.encoder(encoder(settings.logFormat(), context));
            async.start();
            root.addAppender(async);
            root.detachAppender(console);
            console.stop();
            if (FLUSH_AT_EXIT.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(LogSetup::flush, "log-flush"));
            }
        } else if (stderr instanceof OutputStreamAppender<ILoggingEvent> other) {
            Encoder<ILoggingEvent> encoder = encoder(settings.logFormat(), context);
            other.stop();
            other.setEncoder(encoder);
            other.start();
        }
    }

    /**
     * Waits until every line logged so far is written to stderr: the process's last step before it
     * exits (the log writer is a daemon thread, which the JVM would not wait for).
     */
    public static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(STDERR) instanceof AsyncLineAppender a) {
            a.flush();
        }
    }

    /** A started encoder for {@code format}. */
    public static Encoder<ILoggingEvent> encoder(MonitoringSettings.LogFormat format, LoggerContext context) {
        Encoder<ILoggingEvent> encoder;
        if (format == MonitoringSettings.LogFormat.JSON) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder layout = new PatternLayoutEncoder();
            layout.setPattern(TEXT_PATTERN);
            layout.setContext(context);
            layout.start();
            encoder = new TextLineEncoder(layout);
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
