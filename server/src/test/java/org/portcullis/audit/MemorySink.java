package org.portcullis.audit;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink that keeps its lines in memory, for tests of the writer and the chain above any file;
 * its writes fail while {@code failing} is set (the disk-full case, on demand).
 */
final class MemorySink implements AuditSink {
    /** Written by the writer thread, read by the test: a list safe to read while it grows. */
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void write(List<byte[]> batch) throws IOException {
        if (failing) {
            throw new IOException("No space left on device");
        }
        lines.addAll(Lines.text(batch));
    }

    @Override
    public void sync() {}

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {}
}
