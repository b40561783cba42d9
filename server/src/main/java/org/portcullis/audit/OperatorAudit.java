package org.portcullis.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import org.portcullis.stores.StoreRegistry;

/**
 * The audit trail of an offline operator command ({@code portcullis manage …}): the same key
 * and sink kind as the node's, one event per change, the operating-system user as initiator.
 *
 * <p>Why a file of its own: a trail is one HMAC chain kept by one writer (each node keeps its
 * sequence number and last hmac in memory). A second process appending to a node's file would
 * interleave two chains and break both. So a command writes {@code <file>.manage} beside the
 * node's {@code [audit] file}, continuing that file's own chain from run to run, and holds an
 * exclusive lock ({@code <file>.manage.lock}) so two commands on one host never interleave.
 * {@code manage audit verify} checks it like any other trail file. Syslog sinks take both.
 *
 * <p>Every offline command that changes data writes through this class (kek rotation, store
 * migrate, purge, backup/restore, import barbican), so the lock covers them all. The file is
 * forced to disk on each {@link #flush()} whatever the node's {@code fsync}: a command writes
 * the events of a batch after committing it, and a crash must not lose the record of a change
 * that is committed.
 */
public final class OperatorAudit implements AutoCloseable {
    private static final String USER_TYPE = "service/security/account/user";

    private final AuditTrail trail;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final String command;
    private final Clock clock;
    private final List<AuditEvent> pending = new ArrayList<>();

    private OperatorAudit(AuditTrail trail, FileChannel lockFile, FileLock lock, String command, Clock clock) {
        this.trail = trail;
        this.lockFile = lockFile;
        this.lock = lock;
        this.command = command;
        this.clock = clock;
    }

    /** Opens the command's trail; refuses (ConfigException) when another command holds it. */
    public static OperatorAudit open(AuditSettings settings, StoreRegistry stores, Clock clock, String command)
            throws IOException {
        if (!settings.enabled()) {
            return new OperatorAudit(AuditTrail.disabled(), null, null, command, clock);
        }
        if (settings.sink() != AuditSettings.Sink.FILE) {
            return new OperatorAudit(AuditTrail.start(settings, stores, clock), null, null, command, clock);
        }
        Path own = settings.file().resolveSibling(settings.file().getFileName() + ".manage");
        Path lockPath = own.resolveSibling(own.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new ConfigException("another `portcullis manage` command is writing the audit file " + own
                    + " (it holds " + lockPath + "); wait for it to finish");
        }
        try {
            AuditSettings mine = new AuditSettings(true, AuditSettings.Sink.FILE, own, AuditSettings.Fsync.ALWAYS,
                    settings.syslogAddress(), settings.syslogFacility(), settings.hmacKeyFile());
            return new OperatorAudit(AuditTrail.start(mine, stores, clock), channel, lock, command, clock);
        } catch (RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** Where the events go, for the summary. */
    public String describe() {
        return trail.enabled() ? trail.describe() : "audit disabled";
    }

    /** Queues one event: {@code action} on {@code target} {@code id}, with small facts (ids, key ids). */
    public void add(AuditAction action, AuditTarget target, String id, Map<String, ?> details) {
        add(action, target, id, null, details);
    }

    /** Queues one event with a target name, a short phrase saying what happened (e.g. "expired payload erased"). */
    public void add(AuditAction action, AuditTarget target, String id, String name, Map<String, ?> details) {
        if (!trail.enabled()) {
            return;
        }
        String user = System.getProperty("user.name", "unknown");
        pending.add(new AuditEvent(UUID.randomUUID().toString(), clock.instant(), action, "success", null,
                new AuditEvent.Initiator(USER_TYPE, "os:" + user, null, List.of(), "all", "local", command),
                target.typeUri(), id, name, null, null, null, details));
    }

    /** Writes what was queued, in order, durably as configured; the caller stops if this throws. */
    public void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        try {
            trail.writeAll(pending);
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            trail.close();
        } finally {
            if (lock != null) {
                lock.release();
                lockFile.close();
            }
        }
    }
}
