package org.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command's {@code --help} and {@code -V} print and exit 0 without doing anything else (no
 * server starts, no file is read), and a mistyped command gets a suggestion.
 */
class PortcullisCliTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Portcullis());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A node's start builds only the node's commands; anything else the whole tree, manage included. */
    @Test
    void serveAndDevParseWithoutTheOperatorCommands() {
        for (String node : List.of("serve", "dev")) {
            CommandLine cl = Portcullis.commandLine(new String[] {node, "--help"});
            assertThat(cl.getSubcommands()).containsOnlyKeys("serve", "dev");
            assertThat(cl.getCommandName()).isEqualTo("portcullis");
            assertThat(cl.getSubcommands().get(node).getCommandSpec().qualifiedName()).isEqualTo("portcullis " + node);
        }
        for (String[] other : List.of(new String[0], new String[] {"--help"}, new String[] {"manage", "doctor"},
                new String[] {"serv"})) {
            assertThat(Portcullis.commandLine(other).getSubcommands()).containsKeys("serve", "dev", "manage");
        }
    }

    /** The launcher's, the unit's and the bench's {@code serve --config FILE} skips picocli; no other form does. */
    @Test
    void onlyThePlainServeFormSkipsPicocli() {
        for (String[] plain : List.of(new String[] {"serve", "--config", "a.conf"},
                new String[] {"serve", "-c", "a.conf"}, new String[] {"serve", "--config=a.conf"})) {
            assertThat(Portcullis.servedConfig(plain)).as(List.of(plain).toString()).isEqualTo(Path.of("a.conf"));
        }
        for (String[] other : List.of(new String[0], new String[] {"serve"}, new String[] {"serve", "--help"},
                new String[] {"serve", "--config", "a.conf", "--help"}, new String[] {"serve", "-c", "--help"},
                new String[] {"serve", "-c", "-V"}, new String[] {"serve", "--config="},
                new String[] {"serve", "-c", ""},
                new String[] {"serve", "--conf", "a.conf"}, new String[] {"dev", "--config", "a.conf"},
                new String[] {"manage", "--config", "a.conf"}, new String[] {"serve", "-ca.conf"})) {
            assertThat(Portcullis.servedConfig(other)).as(List.of(other).toString()).isNull();
        }
    }

    /** Every command path of the tree, found from the model so a new command is covered too. */
    static List<String> commands() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new Portcullis()), "", paths);
        return paths;
    }

    private static void collect(CommandLine cl, String prefix, List<String> paths) {
        paths.add(prefix.strip());
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // skip aliases
                collect(sub, prefix + " " + name, paths);
            }
        });
    }

    @Test
    void theTreeHasTheCommandsTheReadmeNames() {
        assertThat(commands()).contains("", "serve", "dev", "manage", "manage audit", "manage audit verify",
                "manage hsm", "manage hsm gen-mkek", "manage hsm gen-hmac");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpPrintsUsageAndExitsZero(String command) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add(flag);
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isZero();
            String name = command.isEmpty() ? "portcullis" : command.substring(command.lastIndexOf(' ') + 1);
            assertThat(r.out()).as(args.toString()).startsWith("Usage: ").contains(name).contains("--help");
            assertThat(r.err()).as(args.toString()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void versionPrintsAndExitsZero(String command) {
        for (String flag : List.of("--version", "-V")) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add(flag);
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isZero();
            assertThat(r.out().strip()).as(args.toString()).matches("Portcullis \\d+\\.\\d+\\.\\d+.*");
        }
    }

    @Test
    void anUnknownCommandSuggestsTheRightOne() {
        Run r = run("serv", "--config", "x.conf");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'serv'").contains("Did you mean").contains("serve");

        Run manage = run("manage", "adit", "verify");
        assertThat(manage.code()).isEqualTo(2);
        assertThat(manage.err()).contains("Did you mean").contains("audit");
    }
}
