package org.portcullis.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one progress format of the operator commands (bar on a terminal, plain lines otherwise). */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainProgressLinesCarryCountRateAndEta() {
        Progress p = new Progress(out, false, "migrate", 10);
        p.advance(10); // the last item always prints
        assertThat(printed()).startsWith("migrate: 10/10 (100%)").contains("items/s").contains("ETA 0:00")
                .doesNotContain("\r").doesNotContain("[");
    }

    @Test
    void plainFinishDoesNotRepeatALineAlreadyShown() {
        Progress p = new Progress(out, false, "purge", 10);
        p.advance(4); // the first advance prints
        p.finish();
        p.finish();
        assertThat(printed().lines().toList()).containsExactly(printed().lines().findFirst().orElseThrow());
        assertThat(printed()).startsWith("purge: 4/10 (40%)");
    }

    @Test
    void terminalRedrawsABarInPlaceAndEndsItsLine() {
        Progress p = new Progress(out, true, "items", 4);
        p.advance(2);
        p.advance(2);
        p.finish();
        String text = printed();
        assertThat(text).startsWith("\r[###############...............] items 2/4 (50%)");
        assertThat(text).contains("\r[##############################] items 4/4 (100%)").contains("items/s")
                .contains("ETA").endsWith("\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void rowsAddedMeanwhileGrowTheTotalInsteadOfOverflowingTheBar() {
        Progress p = new Progress(out, false, "items", 2);
        p.advance(5);
        assertThat(printed()).contains("5/5 (100%)");
        assertThat(p.done()).isEqualTo(5);
    }

    @Test
    void phasesStartOverAndNameEachLine() {
        Progress p = new Progress(out, false);
        p.start("secrets", 3);
        p.advance(3);
        p.finish();
        p.start("containers", 2);
        p.advance(1);
        p.finish();
        assertThat(printed().lines().toList()).hasSize(2);
        assertThat(printed()).contains("secrets: 3/3 (100%)").contains("containers: 1/2 (50%)");
    }

    @Test
    void etaReadsAsMinutesOrHours() {
        assertThat(Progress.formatSeconds(65)).isEqualTo("1:05");
        assertThat(Progress.formatSeconds(3725)).isEqualTo("1:02:05");
    }
}
