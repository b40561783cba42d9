package org.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./portcullis} launcher's own commands, run as a user would. Only paths that need no
 * jar (help, a mistyped command) run here; what the jar prints is {@link PortcullisCliTest}'s.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "portcullis").toAbsolutePath().normalize();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        assertThat(Files.isRegularFile(LAUNCHER)).isTrue();
        for (String help : new String[] {"help", "--help", "-h"}) {
            Run r = run(help);
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("  dev ", "  serve ", "  manage audit verify", "  manage hsm gen-mkek",
                    "  build ", "  test ", "  help ", "--version");
        }
    }

    @Test
    void buildAndTestHelpPrintHelpInsteadOfRunning() throws Exception {
        for (String command : new String[] {"build", "test"}) {
            Run r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("usage: portcullis COMMAND");
            assertThat(r.err()).as(command).doesNotContain("building").doesNotContain("install");
        }
    }

    @Test
    void aMistypedCommandSuggestsTheRightOneAndExits2() throws Exception {
        Run tset = run("tset");
        assertThat(tset.code()).isEqualTo(2);
        assertThat(tset.err()).contains("unknown command 'tset'; did you mean 'test'?");

        Run sevre = run("sevre", "--config", "x");
        assertThat(sevre.code()).isEqualTo(2);
        assertThat(sevre.err()).contains("did you mean 'serve'?");

        Run nonsense = run("xyzzy");
        assertThat(nonsense.code()).isEqualTo(2);
        assertThat(nonsense.err()).contains("unknown command 'xyzzy'").doesNotContain("did you mean");
    }
}
