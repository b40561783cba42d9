package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Lines logged from many threads are all written, once, with the MDC they were logged with. */
class AsyncLineAppenderTest {
    @Test
    void everyLineIsWrittenByTheTimeFlushReturns() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AsyncLineAppender appender = new AsyncLineAppender();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.encoder(LogSetup.encoder(MonitoringSettings.LogFormat.JSON, context));
        Logger log = context.getLogger("org.portcullis.test.async");
        log.setLevel(Level.INFO);
        log.setAdditive(false); // only into the appender under test
        log.addAppender(appender);
        int threads = 8;
        int lines = 2_000;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            appender.start();
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
            appender.flush();
        } finally {
            System.setErr(saved);
            appender.stop();
            log.detachAppender(appender);
        }
        List<String> written = captured.toString(StandardCharsets.UTF_8).lines().toList();
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
}
