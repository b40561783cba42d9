package org.portcullis.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.console.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage purge}: what {@code barbican-manage db clean} does, online and batched.
 */
@Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Remove rows that were deleted long ago, and destroy the payloads of secrets that expired long "
                + "ago (like barbican-manage db clean). Runs while nodes serve: one transaction per batch.",
            "--deleted-older-than removes soft-deleted secrets, containers, orders and transport keys for good. "
                + "--expired-older-than destroys expired secrets' payloads in their store (KMIP Destroy, Vault delete, "
                + "ciphertext erased) and marks the row; the secret's metadata stays. Safe to interrupt and run again.",
            "Exit status: 0 done (or nothing to do), 2 configuration error or no option given."})
public final class PurgeCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--deleted-older-than", paramLabel = "AGE", converter = Durations.class,
            description = "purge rows deleted more than AGE ago (90s, 15m, 12h, 30d, 2w)")
    Duration deletedOlderThan;

    @Option(names = "--expired-older-than", paramLabel = "AGE", converter = Durations.class,
            description = "destroy payloads of secrets that expired more than AGE ago")
    Duration expiredOlderThan;

    @Option(names = "--dry-run", description = "count what would go; change nothing")
    boolean dryRun;

    @Option(names = "--batch", defaultValue = "1000", description = "rows per transaction (default ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
        if (deletedOlderThan == null && expiredOlderThan == null) {
            System.err.println("portcullis: give --deleted-older-than and/or --expired-older-than");
            return 2;
        }
        try (OpsContext ops = dryRun ? OpsContext.open(config) : OpsContext.open(config, "portcullis manage purge")) {
            Purger purger = new Purger(ops, Math.max(1, Math.min(batch, 10_000)));
            long now = ops.clock().millis();
            if (deletedOlderThan != null) {
                long cutoff = now - deletedOlderThan.toMillis();
                for (String table : Purger.tables()) {
                    long count = purger.countDeleted(table, cutoff);
                    if (dryRun || count == 0) {
                        System.out.printf("%s%d deleted %s row(s) older than %s%n", dryRun ? "dry run: would purge " : "",
                                count, table, deletedOlderThan);
                        continue;
                    }
                    Progress progress = Progress.onStderr("purge deleted " + table, count);
                    long purged = purger.purgeDeleted(table, cutoff, progress::advance);
                    progress.finish();
                    System.out.printf("purged %d deleted %s row(s) (%.0f/s)%n", purged, table, progress.perSecond());
                }
            }
            if (expiredOlderThan != null) {
                long cutoff = now - expiredOlderThan.toMillis();
                long count = purger.countExpired(cutoff);
                if (dryRun) {
                    System.out.printf("dry run: would erase %d expired payload(s)%n", count);
                } else {
                    Progress progress = Progress.onStderr("erase expired payloads", count);
                    long erased = purger.eraseExpired(cutoff, progress::advance);
                    progress.finish();
                    System.out.printf("erased %d expired payload(s) (%.0f/s)%n", erased, progress.perSecond());
                }
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
    }
}
