package org.portcullis.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark helper used by {@code bench/run.sh}.
 *
 * <pre>
 *   java -jar portcullis-bench.jar load URL PROJECT N CONCURRENCY
 *   java -jar portcullis-bench.jar rawinsert JDBC_URL SECONDS [THREADS ...]
 * </pre>
 *
 * Every command ends with machine-readable lines starting with {@code LOAD} or
 * {@code RAWINSERT} (key=value pairs) that run.sh parses.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int rc = switch (args[0]) {
            case "load" -> Load.run(rest);
            case "rawinsert" -> RawInsert.run(rest);
            case "-h", "--help", "help" -> {
                usage();
                yield 0;
            }
            default -> {
                System.err.println("unknown command: " + args[0]);
                usage();
                yield 2;
            }
        };
        System.exit(rc);
    }

    static void usage() {
        System.err.println("""
            usage:
              load URL PROJECT N CONCURRENCY
                  create N secrets (the body of wrk/post_secret.lua) in PROJECT at URL
                  (loopback only) with CONCURRENCY in-flight requests; prints rate and errors.
              rawinsert JDBC_URL SECONDS [THREADS ...]
                  raw insert rate of the database, one row per committed transaction, in a
                  scratch table shaped like a secrets row; THREADS defaults to "1 16".
                  SQLite: WAL with synchronous=FULL (durable) and synchronous=NORMAL.
                  PostgreSQL: synchronous_commit=on (durable) and =off.
                  JDBC_URL: jdbc:sqlite:/path | jdbc:postgresql://127.0.0.1:5432/db?user=..&password=..
                            (barbican-style sqlite:////path and postgresql://u:p@host:port/db also accepted)
            """);
    }

    /** Percentile (0..100) of a sorted array of nanosecond samples, in milliseconds. */
    static double pctMs(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        idx = Math.max(0, Math.min(sortedNanos.length - 1, idx));
        return sortedNanos[idx] / 1e6;
    }

    /** Growable primitive long buffer for latency samples (one per worker, no sharing). */
    static final class LongBuf {
        long[] a = new long[4096];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        static long[] merge(Iterable<LongBuf> bufs) {
            int total = 0;
            for (LongBuf b : bufs) {
                total += b.n;
            }
            long[] out = new long[total];
            int off = 0;
            for (LongBuf b : bufs) {
                System.arraycopy(b.a, 0, out, off, b.n);
                off += b.n;
            }
            Arrays.sort(out);
            return out;
        }
    }
}
