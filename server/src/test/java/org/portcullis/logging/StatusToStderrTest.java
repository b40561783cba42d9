package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Logback's warnings and errors reach stderr, with their cause; its information does not. */
class StatusToStderrTest {
    @Test
    void printsWarningsAndErrorsWithTheirCauseAndNothingElse() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusToStderr listener = new StatusToStderr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        listener.addStatusEvent(new InfoStatus("configured", "ctx"));
        assertThat(bytes.size()).isZero();
        listener.addStatusEvent(new WarnStatus("no such converter", "pattern"));
        listener.addStatusEvent(new ErrorStatus("cannot write", "appender", new IllegalStateException("disk full")));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("logback WARN in pattern - no such converter")
                .contains("logback ERROR in appender - cannot write")
                .contains("java.lang.IllegalStateException: disk full");
    }
}
