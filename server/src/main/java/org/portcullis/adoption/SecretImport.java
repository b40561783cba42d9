package org.portcullis.adoption;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.portcullis.console.Progress;
import org.portcullis.db.Database;
import org.portcullis.secrets.Secret;
import org.portcullis.secrets.SecretConsumer;
import org.portcullis.secrets.SecretRepository;

/**
 * Secrets, their user metadata and consumers. A new secret's payload is decrypted with Barbican's
 * keys (simple_crypto) or its KMIP reference kept, sealed by the target store, read back through
 * that store and compared byte for byte ({@link PayloadImport}, on worker threads), and only then
 * written, in batches of one transaction each (prepared-statement batches, one commit and one
 * audit flush per batch).
 * An existing secret with the same fields gets what changed since (payload of a two-step secret,
 * metadata, consumers); one deleted in Barbican is deleted.
 */
final class SecretImport {
    static final String TYPE = "secret";
    private static final int CHECK_BATCH = 500;

    private final Database db;
    private final SecretRepository repo = new SecretRepository();
    private final SimpleCryptoKeys keys;
    private final PayloadImport payloads;
    private final ImportReport report;
    private final Progress progress;
    private final boolean dryRun;
    private final int batchSize;
    private final int threads;

    SecretImport(Database db, StoreRouting routing, SimpleCryptoKeys keys, ImportReport report, Progress progress,
            boolean dryRun, int batchSize, int threads) {
        this.db = db;
        this.keys = keys;
        this.payloads = new PayloadImport(routing, keys, report);
        this.report = report;
        this.progress = progress;
        this.dryRun = dryRun;
        this.batchSize = batchSize;
        this.threads = threads;
    }

    /** A prepared row: what will be written for one new secret, or what changes for an existing one. */
    private record Prepared(BarbicanRows.Secret source, Secret row, boolean exists) {}

    /**
     * Refuses before anything is written: a master KEK that does not open a project KEK (naming the
     * first secret that cannot be decrypted), and ids that exist in Portcullis with other content.
     */
    void check(List<BarbicanRows.Secret> secrets) {
        for (BarbicanRows.Secret s : secrets) {
            if (!s.deleted() && s.encrypted() != null && SimpleCryptoKeys.PLUGIN.equals(s.encrypted().kekPlugin())) {
                try {
                    keys.projectKek(s.encrypted().kekId());
                } catch (Fernet.InvalidToken e) {
                    throw new ImportRefused("Barbican's [simple_crypto_plugin] kek does not decrypt secret " + s.id()
                            + " (project " + s.projectId() + "): " + e.getMessage() + ". Nothing was written.");
                }
            }
        }
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i += CHECK_BATCH) {
            List<BarbicanRows.Secret> batch = secrets.subList(i, Math.min(secrets.size(), i + CHECK_BATCH));
            Map<String, Secret> existing = db.read(h -> repo.findLive(h, batch.stream().map(BarbicanRows.Secret::id).toList()));
            for (BarbicanRows.Secret s : batch) {
                Secret p = existing.get(s.id());
                if (p != null && !sameFields(s, p)) {
                    conflicts.add(s.id());
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ImportRefused(conflicts.size() + " secret id(s) exist in Portcullis with other content, first "
                    + conflicts.get(0) + "; nothing was written or overwritten");
        }
    }

    void run(List<BarbicanRows.Secret> secrets, List<BarbicanRows.SecretConsumer> consumers) {
        progress.start("secrets", secrets.size());
        // A pipeline: while the writer commits one batch, the workers decrypt, seal and read back the next.
        ExecutorService workers = Executors.newFixedThreadPool(threads, daemon("import-worker"));
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("import-writer"));
        try {
            Future<?> committing = null;
            for (int i = 0; i < secrets.size(); i += batchSize) {
                List<BarbicanRows.Secret> batch = secrets.subList(i, Math.min(secrets.size(), i + batchSize));
                Plan plan = plan(batch, workers);
                await(committing);
                committing = writer.submit(() -> {
                    write(plan);
                    progress.advance(batch.size());
                });
            }
            await(committing);
        } finally {
            workers.shutdownNow();
            writer.shutdown(); // a batch being written on a failure elsewhere ends as a whole: committed or rolled back
            awaitTermination(writer);
        }
        progress.finish();
        consumers(secrets, consumers);
    }

    /** What one batch writes: new or changed rows, in Barbican's order, and the secrets deleted there. */
    private record Plan(List<Prepared> writes, List<BarbicanRows.Secret> deletes, Map<String, Secret> existing) {}

    private Plan plan(List<BarbicanRows.Secret> batch, ExecutorService workers) {
        List<String> ids = batch.stream().map(BarbicanRows.Secret::id).toList();
        Map<String, Secret> existing = db.read(h -> repo.findLive(h, ids));
        Set<String> anyRow = db.read(h -> repo.existingIds(h, ids));
        List<BarbicanRows.Secret> deletes = new ArrayList<>();
        List<BarbicanRows.Secret> toPrepare = new ArrayList<>();
        List<Prepared> unchanged = new ArrayList<>();
        for (BarbicanRows.Secret s : batch) {
            Secret current = existing.get(s.id());
            if (s.deleted()) {
                if (current != null) {
                    deletes.add(s);
                }
            } else if (current == null && anyRow.contains(s.id())) {
                report.skip(TYPE, s.id(), s.projectId(), "deleted in Portcullis since an earlier import; not restored");
            } else if (current == null || (!current.hasPayload() && PayloadImport.hasPayload(s))) {
                toPrepare.add(s);
            } else {
                unchanged.add(new Prepared(s, current, true));
            }
        }
        PayloadImport.Sealers sealers = new PayloadImport.Sealers();
        int chunk = Math.max(1, (toPrepare.size() + threads - 1) / threads);
        List<Future<List<Prepared>>> parts = new ArrayList<>();
        for (int i = 0; i < toPrepare.size(); i += chunk) {
            List<BarbicanRows.Secret> part = toPrepare.subList(i, Math.min(toPrepare.size(), i + chunk));
            parts.add(workers.submit(() -> {
                List<Prepared> out = new ArrayList<>();
                for (BarbicanRows.Secret s : part) {
                    Secret row = payloads.prepare(s, existing.get(s.id()), sealers);
                    if (row != null) {
                        out.add(new Prepared(s, row, existing.containsKey(s.id())));
                    }
                }
                return out;
            }));
        }
        List<Prepared> writes = new ArrayList<>(unchanged);
        for (Future<List<Prepared>> part : parts) {
            writes.addAll(await(part));
        }
        return new Plan(writes, deletes, existing);
    }

    /** One transaction for the whole batch; its changes reach the audit trail once it committed. */
    private void write(Plan plan) {
        if (dryRun) {
            plan.writes().forEach(p -> report.count(TYPE, p.source().projectId(), p.exists() ? "checked" : "created"));
            plan.deletes().forEach(s -> report.count(TYPE, s.projectId(), "deleted"));
            return;
        }
        long now = System.currentTimeMillis();
        db.write(h -> {
            repo.insertAll(h, plan.writes().stream().filter(p -> !p.exists()).map(Prepared::row).toList());
            for (Prepared p : plan.writes()) {
                BarbicanRows.Secret s = p.source();
                Secret before = plan.existing().get(s.id());
                String action;
                if (!p.exists()) {
                    action = "created";
                } else if (p.row().hasPayload() && before != null && !before.hasPayload()) {
                    repo.setPayload(h, s.id(), p.row().storeId(), p.row().contentType(), p.row().stored(), s.updatedAt());
                    action = "updated";
                } else {
                    action = "unchanged";
                }
                boolean metadataKnown = !p.exists() && s.userMetadata().isEmpty();
                if (!metadataKnown && !repo.metadata(h, s.id()).equals(new java.util.TreeMap<>(s.userMetadata()))) {
                    repo.replaceMetadata(h, s.id(), s.userMetadata(), s.updatedAt());
                    action = action.equals("unchanged") ? "updated" : action;
                }
                report.changed(TYPE, s.id(), s.projectId(), action);
            }
            for (BarbicanRows.Secret s : plan.deletes()) {
                repo.delete(h, s.id(), now);
                report.changed(TYPE, s.id(), s.projectId(), "deleted");
            }
            report.audit(); // the batch's events are on disk before it commits
            return null;
        });
    }

    private static <T> T await(Future<T> f) {
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
    }

    private static void awaitTermination(ExecutorService writer) {
        try {
            writer.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static boolean sameFields(BarbicanRows.Secret s, Secret p) {
        return s.projectId().equals(p.projectId()) && Objects.equals(s.creatorId(), p.creatorId())
                && Objects.equals(s.name(), p.name()) && s.secretType().equals(p.secretType().apiName())
                && Objects.equals(s.algorithm(), p.algorithm()) && Objects.equals(s.bitLength(), p.bitLength())
                && Objects.equals(s.mode(), p.mode()) && Objects.equals(s.expiration(), p.expiration())
                && s.createdAt() == p.createdAt();
    }

    /** Consumers: Barbican's set replaces Portcullis' for every imported live secret. */
    private void consumers(List<BarbicanRows.Secret> secrets, List<BarbicanRows.SecretConsumer> all) {
        Map<String, List<BarbicanRows.SecretConsumer>> bySecret = new java.util.HashMap<>();
        all.forEach(c -> bySecret.computeIfAbsent(c.secretId(), k -> new ArrayList<>()).add(c));
        if (dryRun) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(h -> {
            Set<String> relevant = repo.withConsumers(h);
            relevant.addAll(bySecret.keySet());
            for (BarbicanRows.Secret s : secrets) {
                if (s.deleted() || !relevant.contains(s.id()) || repo.find(h, s.id()).isEmpty()) {
                    continue;
                }
                List<SecretConsumer> have = repo.consumers(h, s.id());
                List<BarbicanRows.SecretConsumer> want = bySecret.getOrDefault(s.id(), List.of());
                Set<SecretConsumer> wanted = new HashSet<>();
                for (BarbicanRows.SecretConsumer c : want) {
                    SecretConsumer key = new SecretConsumer(c.service(), c.resourceType(), c.resourceId());
                    wanted.add(key);
                    if (!have.contains(key)) {
                        repo.importConsumer(h, c.id(), s.id(), c.projectId() == null ? s.projectId() : c.projectId(),
                                key, c.createdAt(), c.updatedAt());
                        report.changed("secret consumer", s.id(), s.projectId(), "created");
                    }
                }
                for (SecretConsumer c : have) {
                    if (!wanted.contains(c)) {
                        repo.removeConsumer(h, s.id(), c, now);
                        report.changed("secret consumer", s.id(), s.projectId(), "deleted");
                    }
                }
            }
            report.audit(); // the batch's events are on disk before it commits
            return null;
        });
    }
}
