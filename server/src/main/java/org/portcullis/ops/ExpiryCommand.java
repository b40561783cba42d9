package org.portcullis.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis manage expiry …}: secrets that expire. */
@Command(name = "expiry", mixinStandardHelpOptions = true, description = "Secrets that are about to expire.",
        subcommands = {ExpiryReportCommand.class})
public final class ExpiryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
