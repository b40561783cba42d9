package org.portcullis.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;

/**
 * A rough measurement of the audit write path, not a test: events per second for each fsync
 * policy, with 1 and 16 concurrent writers (virtual threads). Run from the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(deps) org.portcullis.audit.AuditWriteLoop [DIR]}.
 */
public final class AuditWriteLoop {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("audit-loop");
        AuditKey key = AuditKey.of(new byte[32], "loop");
        for (Fsync fsync : Fsync.values()) {
            for (int writers : new int[] {1, 16}) {
                Path file = dir.resolve("loop-" + fsync + "-" + writers + ".log");
                Files.deleteIfExists(file);
                try (AuditTrail trail = AuditTrail.over(new FileAuditSink(file, fsync), key, Clock.systemUTC(), "loop")) {
                    int perWriter = fsync == Fsync.ALWAYS && writers == 1 ? 2_000 : 20_000 / writers * (writers == 1 ? 1 : 2);
                    run(trail, writers, 200); // warm-up
                    long t0 = System.nanoTime();
                    run(trail, writers, perWriter);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("fsync=%-8s writers=%2d  %7.0f events/s  (%d events, %.2f s, %d bytes/line)%n",
                            fsync, writers, writers * perWriter / secs, writers * perWriter, secs,
                            Files.size(file) / Math.max(1, Files.readAllLines(file).size()));
                }
            }
        }
    }

    private static void run(AuditTrail trail, int writers, int each) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        trail.write(Lines.event("alice", AuditAction.READ, "0b8f3d4e-2a8c-4c7e-9a43-3f1e8f8c2d11"), false);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }
}
