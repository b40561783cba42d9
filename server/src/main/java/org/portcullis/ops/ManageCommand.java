package org.portcullis.ops;

import org.portcullis.adoption.ImportBarbicanCommand;
import org.portcullis.audit.AuditVerifyCommand;
import org.portcullis.stores.pkcs11.HsmCommand;
import picocli.CommandLine.Command;

/**
 * {@code portcullis manage …}: offline operations, one group per area. To add one, write its
 * command class and list it under its group here (or add a group: a nested class like
 * {@link Audit}, listed in {@code subcommands} of {@link ManageCommand}).
 */
@Command(name = "manage", mixinStandardHelpOptions = true, description = "Operations on a node's data and logs.",
        subcommands = {ManageCommand.Audit.class, HsmCommand.class, StoreCommand.class, ExpiryCommand.class,
                PurgeCommand.class, BackupCommand.class, RestoreCommand.class, OrphansCommand.class,
                ManageCommand.Import.class, KekCommand.class, DoctorCommand.class})
public final class ManageCommand extends CommandGroup {
    @Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail.",
            subcommands = {AuditVerifyCommand.class})
    public static final class Audit extends CommandGroup {
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Take over another key manager's data.",
            subcommands = {ImportBarbicanCommand.class})
    public static final class Import extends CommandGroup {
    }
}
