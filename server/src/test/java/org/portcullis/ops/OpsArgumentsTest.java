package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.portcullis.config.DatabaseSettings;
import picocli.CommandLine.TypeConversionException;

/** The small parsers and printers the operator commands share. */
class OpsArgumentsTest {

    @Test
    void durationsTakeANumberAndAUnit() {
        Durations d = new Durations();
        assertThat(d.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(d.convert("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(d.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> d.convert("30")).isInstanceOf(TypeConversionException.class).hasMessageContaining("30d");
        assertThatThrownBy(() -> d.convert("-1d")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void pgToolsGetHostPortDatabaseUserSchemaAndNeverThePasswordOnTheCommandLine() {
        DatabaseSettings s = new DatabaseSettings(DatabaseSettings.Kind.POSTGRESQL,
                "jdbc:postgresql://db.example.org:5433/kms?user=kms&password=s%40cret&currentSchema=t_1", null, null, 4);
        PgTools.Target t = PgTools.parse(s);
        assertThat(t).isEqualTo(new PgTools.Target("db.example.org", "5433", "kms", "kms", "s@cret", "t_1"));
        String dump = String.join(" ", PgTools.dumpCommand(t, Path.of("/b/x.pgdump")));
        assertThat(dump).contains("--host db.example.org --port 5433 --username kms --schema t_1 kms")
                .doesNotContain("s@cret");
        assertThat(String.join(" ", PgTools.restoreCommand(t, Path.of("/b/x.pgdump"))))
                .contains("--clean --if-exists").contains("--single-transaction").doesNotContain("s@cret");
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        assertThat(ExpiryReportCommand.csv("plain")).isEqualTo("plain");
        assertThat(ExpiryReportCommand.csv("a, b")).isEqualTo("\"a, b\"");
        assertThat(ExpiryReportCommand.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ExpiryReportCommand.csv(null)).isEmpty();
    }
}
