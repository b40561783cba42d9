package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The stderr log every process starts with, found by logback through META-INF/services. */
class StderrLogConfiguratorTest {
    private static final Level ENV_LEVEL = Level.toLevel(System.getenv("PORTCULLIS_LOG_LEVEL"), Level.INFO);

    @Test
    void setsUpStderrWithTheTextPatternAndQuietLibraries() {
        LoggerContext context = new LoggerContext();
        assertThat(new StderrLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(ENV_LEVEL);
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(LogSetup.TEXT_PATTERN);
        for (String quiet : new String[] {"org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb"}) {
            assertThat(context.getLogger(quiet).getLevel()).as(quiet).isEqualTo(Level.WARN);
        }
        assertThat(context.getLogger("org.portcullis.access").getEffectiveLevel()).isEqualTo(ENV_LEVEL);
        assertThat(context.getStatusManager().getCopyOfStatusListenerList()).singleElement()
                .isInstanceOf(StatusToStderr.class);
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineWins() {
        System.setProperty("logback.configurationFile", "/etc/portcullis/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            assertThat(new StderrLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    @Test
    void logbackFindsIt() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(running.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .isInstanceOf(ConsoleAppender.class);
        assertThat(running.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    }
}
