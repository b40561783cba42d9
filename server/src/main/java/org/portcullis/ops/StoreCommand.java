package org.portcullis.ops;

import picocli.CommandLine.Command;

/** {@code portcullis manage store …}: operations on secret stores. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Operations on secret stores.",
        subcommands = {StoreMigrateCommand.class})
public final class StoreCommand extends CommandGroup {
}
