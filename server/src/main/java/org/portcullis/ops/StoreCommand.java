package org.portcullis.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis manage store …}: operations on secret stores. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Operations on secret stores.",
        subcommands = {StoreMigrateCommand.class})
public final class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
