package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;

/** The hand-written text line is, byte for byte, the pattern layout's line. */
class TextLineEncoderTest {
    private static final String[] LOGGERS = {"org.portcullis.access", "org.portcullis.http.HttpApp", "a", "x.y",
        "org.eclipse.jetty.server.internal.HttpConnection", "ROOT", "näme.mit.ümlaut.Klasse"};
    private static final String[] TEXT = {"", "req-1 GET /v1/secrets/x/payload -> 200 in 0 ms", "é ✓ \ud83d\udd11",
        "two\nlines", "{} not a placeholder"};
    private static final Level[] LEVELS = {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE};

    @Test
    void everyLineIsThePatternLayoutsLine() {
        LoggerContext context = new LoggerContext();
        PatternLayoutEncoder layout = new PatternLayoutEncoder();
        layout.setPattern(LogSetup.TEXT_PATTERN);
        layout.setContext(context);
        layout.start();
        TextLineEncoder text = (TextLineEncoder) LogSetup.encoder(MonitoringSettings.LogFormat.TEXT, context);
        Random random = new Random(15);
        long[] times = {0, 999, 1000, -1, -1001, 1_796_000_000_123L, 253_402_300_799_999L};
        for (int i = 0; i < 5000; i++) {
            LoggingEvent e = new LoggingEvent();
            e.setLoggerName(LOGGERS[random.nextInt(LOGGERS.length)]);
            e.setLevel(LEVELS[random.nextInt(LEVELS.length)]);
            e.setThreadName(i % 3 == 0 ? "virtual-" + i : TEXT[random.nextInt(TEXT.length)]);
            e.setMessage(i % 50 == 0 ? null : TEXT[random.nextInt(TEXT.length)]);
            e.setTimeStamp(i < times.length ? times[i] : random.nextLong(0, 4_102_444_800_000L));
            if (i % 100 == 1) {
                e.setThrowableProxy(new ThrowableProxy(new IllegalStateException("boom " + i)));
            }
            byte[] expected = layout.encode(e);
            assertThat(text.encode(e)).as("event %d: %s", i, new String(expected)).isEqualTo(expected);
        }
    }
}
