package org.portcullis;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.DevEnvironment;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.logging.LogSetup;
import org.portcullis.ops.ManageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code serve}, {@code dev}, {@code manage}. {@code --help} and {@code -V} are
 * inherited by every subcommand (scope INHERIT), so {@code dev --help} prints help instead of
 * starting a server; an unknown command or option gets picocli's "Did you mean" suggestions.
 */
@Command(name = "portcullis", mixinStandardHelpOptions = true, version = Portcullis.VERSION,
        scope = CommandLine.ScopeType.INHERIT,
        description = "A key manager with OpenStack Barbican's v1 API.",
        subcommands = {Portcullis.Serve.class, Portcullis.Dev.class, ManageCommand.class})
public final class Portcullis implements Callable<Integer> {
    /** What {@code --version} prints, for the whole tree and for the node-only one alike. */
    static final String VERSION = "Portcullis 0.1.0";

    public static void main(String[] args) {
        LogSetup.bindBackend();
        Path config = servedConfig(args);
        System.exit(config != null ? serve(config) : commandLine(args).execute(args));
    }

    /**
     * The file of {@code serve --config FILE} ({@code -c FILE}, {@code --config=FILE}), the form
     * the launcher, the package's unit and the bench start a node with; null for anything else,
     * which picocli parses. picocli's classes are Java 5 class files, which the JVM's AOT cache
     * cannot keep, so loading them and building its model was a fifth of the main thread's CPU
     * before a node could answer (bench/scale.sh, 100k secrets). A value that starts with '-'
     * goes to picocli too: it may be an option there ({@code serve -c --help}).
     */
    static Path servedConfig(String[] args) {
        String file = null;
        if (args.length == 2 && args[0].equals("serve") && args[1].startsWith("--config=")) {
            file = args[1].substring("--config=".length());
        } else if (args.length == 3 && args[0].equals("serve")
                && (args[1].equals("--config") || args[1].equals("-c"))) {
            file = args[2];
        }
        if (file == null || file.isEmpty() || file.startsWith("-")) {
            return null;
        }
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            return null; // picocli's own message for it
        }
    }

    /** {@code serve} without picocli, ending as picocli ends a command that throws: its stack trace, status 1. */
    private static int serve(Path config) {
        try {
            return new Serve().withConfig(config).call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * The whole command tree, or for {@code serve} and {@code dev} the node's commands alone:
     * picocli builds its model of every declared command before parsing, and the operator
     * commands' model was a quarter of a node's time to ready (bench/scale.sh). Help and errors
     * of serve and dev read the same either way.
     */
    static CommandLine commandLine(String[] args) {
        boolean node = args.length > 0 && (args[0].equals("serve") || args[0].equals("dev"));
        return new CommandLine(node ? new Node() : new Portcullis());
    }

    @Command(name = "portcullis", mixinStandardHelpOptions = true, version = Portcullis.VERSION,
            scope = CommandLine.ScopeType.INHERIT, subcommands = {Portcullis.Serve.class, Portcullis.Dev.class})
    static final class Node {}

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "serve", description = "Run the server from a barbican.conf-style configuration file.")
    static final class Serve implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "configuration file")
        Path config;

        Serve withConfig(Path file) {
            config = file;
            return this;
        }

        @Override
        public Integer call() throws Exception {
            return run(() -> ConfigLoader.load(config), false);
        }
    }

    @Command(name = "dev", description = "Run a zero-configuration development server (SQLite, two software stores, "
            + "no authentication) on 127.0.0.1.")
    static final class Dev implements Callable<Integer> {
        @Option(names = "--home", description = "data directory (default: $PORTCULLIS_HOME or ./.portcullis)")
        Path home;

        @Option(names = "--port", defaultValue = "9311", description = "port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address (default: ${DEFAULT-VALUE})")
        String bind;

        @Override
        public Integer call() throws Exception {
            Path dir = home != null ? home
                    : Path.of(System.getenv().getOrDefault("PORTCULLIS_HOME", ".portcullis"));
            Path conf = DevEnvironment.prepare(dir.toAbsolutePath(), bind, port);
            return run(() -> ConfigLoader.load(conf), true);
        }
    }

    interface ConfigSource {
        PortcullisConfig load();
    }

    static int run(ConfigSource source, boolean dev) throws Exception {
        Application app;
        try {
            app = Application.start(source.load());
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
        // SIGTERM (and Ctrl-C): drain, then the audit trail's stop event, then exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.stopGracefully();
            } catch (Exception ignored) {
                // exiting anyway
            } finally {
                LogSetup.flush(); // the log writer's thread would not be waited for
            }
        }, "shutdown"));
        if (dev) {
            PortcullisConfig c = app.config();
            System.out.printf("""

                    ==============================================================================
                     Portcullis DEVELOPMENT server: no authentication, KEKs on local disk.
                     Not for production. Data: %s
                     API:     http://%s:%d/v1   (send X-Project-Id; X-Roles defaults to admin)
                     Try:     barbican --no-auth --endpoint http://%s:%d --os-project-id p1 \\
                                secret store --payload hello
                     Stop:    Ctrl-C
                    ==============================================================================
                    %n""", c.dataDir(), c.http().bindHost(), app.port(), c.http().bindHost(), app.port());
        }
        app.join();
        return 0;
    }
}
