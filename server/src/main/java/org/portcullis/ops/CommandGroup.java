package org.portcullis.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code manage} command that only groups subcommands: run without one, it prints its usage
 * on stderr and exits 2, the status scripts read as a usage error.
 */
public abstract class CommandGroup implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
