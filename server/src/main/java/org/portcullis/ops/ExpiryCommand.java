package org.portcullis.ops;

import picocli.CommandLine.Command;

/** {@code portcullis manage expiry …}: secrets that expire. */
@Command(name = "expiry", mixinStandardHelpOptions = true, description = "Secrets that are about to expire.",
        subcommands = {ExpiryReportCommand.class})
public final class ExpiryCommand extends CommandGroup {
}
