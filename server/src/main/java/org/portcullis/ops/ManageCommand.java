package org.portcullis.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code portcullis manage …}: operator tasks that run beside (not inside) the server. */
@Command(name = "manage", mixinStandardHelpOptions = true, description = "Operator tasks: HSM keys, …",
        subcommands = {org.portcullis.stores.pkcs11.HsmCommand.class})
public final class ManageCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
