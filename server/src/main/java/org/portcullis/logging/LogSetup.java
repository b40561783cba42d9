package org.portcullis.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [portcullis] log_format} and {@code log_level} to the stderr log that
 * {@link StderrLogConfigurator} sets up (logging starts before the configuration is read, so the settings are
 * applied once they are known). {@code PORTCULLIS_LOG_LEVEL} in the environment wins over
 * {@code log_level}, so one run can be made verbose without editing the file.
 */
public final class LogSetup {
    /** The text format's layout; {@link StderrLogConfigurator} starts with the same. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{20} - %msg%n";

    private LogSetup() {}

    public static void apply(MonitoringSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend (embedding): its own configuration rules
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        String env = System.getenv("PORTCULLIS_LOG_LEVEL");
        String level = env != null && !env.isBlank() ? env : settings.logLevel();
        root.setLevel(Level.toLevel(level, Level.INFO));
        if (root.getAppender("STDERR") instanceof OutputStreamAppender<ILoggingEvent> stderr) {
            Encoder<ILoggingEvent> encoder = encoder(settings.logFormat(), context);
            stderr.stop();
            stderr.setEncoder(encoder);
            stderr.start();
        }
    }

    /** A started encoder for {@code format}. */
    public static Encoder<ILoggingEvent> encoder(MonitoringSettings.LogFormat format, LoggerContext context) {
        Encoder<ILoggingEvent> encoder;
        if (format == MonitoringSettings.LogFormat.JSON) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
