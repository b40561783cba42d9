package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lines logged from many threads are all written, once, with the MDC they were logged with; an
 * Error while writing loses that batch only, never the writer.
 */
class AsyncLineAppenderTest {
    /** What the steps, run with a logger into a started appender, wrote to stderr by the last flush. */
    private interface Steps {
        void run(Logger log, AsyncLineAppender appender) throws Exception;
    }

    private static List<String> written(String loggerName, UnaryOperator<Encoder<ILoggingEvent>> encoder, Steps steps)
            throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AsyncLineAppender appender = new AsyncLineAppender();
        appender.setContext(context);
        appender.setName(loggerName);
        appender.encoder(encoder.apply(LogSetup.encoder(MonitoringSettings.LogFormat.JSON, context)));
        Logger log = context.getLogger(loggerName);
        log.setLevel(Level.INFO);
        log.setAdditive(false); // only into the appender under test
        log.addAppender(appender);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            appender.start();
            steps.run(log, appender);
            appender.flush();
        } finally {
            System.setErr(saved);
            appender.stop();
            log.detachAppender(appender);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyLineIsWrittenByTheTimeFlushReturns() throws Exception {
        int threads = 8;
        int lines = 2_000;
        List<String> written = written("org.portcullis.test.async", e -> e, (log, appender) -> {
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < lines; i++) {
                        MDC.put("request_id", "req-" + thread + "-" + i);
                        log.info("line {} of thread {}", i, thread);
                        MDC.remove("request_id");
                    }
                }));
            }
            for (Thread t : running) {
                t.join();
            }
        });
        assertThat(written).hasSize(threads * lines);
        for (int t = 0; t < threads; t++) {
            String prefix = "\"message\":\"line ";
            String suffix = " of thread " + t + "\"";
            List<Integer> order = new ArrayList<>();
            for (String line : written) {
                int at = line.indexOf(prefix);
                if (line.contains(suffix) && at >= 0) {
                    int i = Integer.parseInt(line.substring(at + prefix.length(), line.indexOf(' ', at + prefix.length())));
                    assertThat(line).contains("\"request_id\":\"req-" + t + "-" + i + "\"");
                    order.add(i);
                }
            }
            assertThat(order).as("thread %d's lines, in the order it logged them", t).isSorted().hasSize(lines);
        }
    }

    /** An encoder that throws an Error for a line saying "boom", as an out-of-memory would. */
    private static final class Failing extends EncoderBase<ILoggingEvent> {
        private final Encoder<ILoggingEvent> lines;

        Failing(Encoder<ILoggingEvent> lines) {
            this.lines = lines;
        }

        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            if (event.getFormattedMessage().equals("boom")) {
                throw new OutOfMemoryError("a test's");
            }
            return lines.encode(event);
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }
    }

    // The guard only turns a hang (the writer gone, the logger waiting on a full queue) into a failure.
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anErrorWhileWritingDoesNotStopTheWriter() throws Exception {
        int after = 20_000; // more than the queue holds: a dead writer would leave the logger waiting
        List<String> written = written("org.portcullis.test.async.failing", Failing::new, (log, appender) -> {
            log.info("boom");
            appender.flush();
            for (int i = 0; i < after; i++) {
                log.info("after {}", i);
            }
        });
        assertThat(written).hasSize(after);
        assertThat(written.get(after - 1)).contains("after " + (after - 1));
    }
}
