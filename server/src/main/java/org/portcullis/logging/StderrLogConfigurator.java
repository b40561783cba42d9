package org.portcullis.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The log every Portcullis process starts with: text lines on stderr (appender {@code STDERR}),
 * the root at {@code PORTCULLIS_LOG_LEVEL} (default INFO), Jetty, HikariCP and Flyway at WARN.
 * {@link LogSetup} applies the configuration's format and level once the file is read. Built in
 * code because parsing the same as logback.xml (a SAX parser, logback's model and its bean
 * introspection) was about a tenth of the main thread's CPU before a node could serve. A file
 * named by {@code -Dlogback.configurationFile} still wins: logback then reads it as usual.
 * Registered in META-INF/services, where logback looks before it looks for logback.xml. Logback's
 * own warnings and errors go to stderr as they happen ({@link StatusToStderr}).
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {
    static final String APPENDER = "STDERR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new StatusToStderr(System.err));
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(LogSetup.TEXT_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        for (String quiet : new String[] {"org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("PORTCULLIS_LOG_LEVEL"), Level.INFO));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
