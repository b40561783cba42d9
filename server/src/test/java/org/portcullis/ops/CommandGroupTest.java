package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A {@code manage} group run without a subcommand prints its own usage on stderr and exits 2. */
class CommandGroupTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "audit", "import", "store", "expiry"})
    void aGroupWithoutSubcommandPrintsItsUsageAndExitsTwo(String group) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = group.isEmpty() ? new CommandLine(new ManageCommand()).execute()
                    : new CommandLine(new ManageCommand()).execute(group);
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        String name = group.isEmpty() ? "manage" : group;
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Usage: ").contains(name).contains("Commands:");
    }
}
