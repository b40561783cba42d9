package org.portcullis.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage expiry report}: every project's secrets that expire within a window,
 * soonest first. Read-only; reads the database in pages, so it is cheap on a live node.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List secrets of every project that expire within a window (soonest first): project, secret "
                + "id, name, store, expiration (UTC) and how many consumers use it. Read-only.",
            "Exit status: 0 listed (also when nothing expires), 2 configuration error."})
public final class ExpiryReportCommand implements Callable<Integer> {
    private static final int PAGE = 1000;

    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--within", defaultValue = "30d", converter = Durations.class,
            description = "window from now: 90s, 15m, 12h, 30d, 2w (default ${DEFAULT-VALUE})")
    Duration within;

    @Option(names = "--include-expired", description = "also list secrets already expired (not yet purged)")
    boolean includeExpired;

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default ${DEFAULT-VALUE})")
    Format format;

    enum Format { table, json, csv }

    record Row(String project, String secretId, String name, String store, String expiration, long consumers) {}

    @Override
    public Integer call() throws Exception {
        PortcullisConfig conf;
        try {
            conf = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
        try (Database db = Database.open(conf.database())) {
            print(rows(db, System.currentTimeMillis()), System.out);
        }
        return 0;
    }

    List<Row> rows(Database db, long now) {
        List<Row> out = new ArrayList<>();
        long afterExp = includeExpired ? Long.MIN_VALUE : now;
        String afterId = "";
        while (true) {
            long exp0 = afterExp;
            String id0 = afterId;
            List<Object[]> page = db.read(h -> h.createQuery("SELECT x.project_id, x.id, x.name, s.name, x.expiration, "
                            + "(SELECT count(*) FROM secret_consumers c WHERE c.secret_id = x.id) FROM secrets x "
                            + "JOIN secret_stores s ON s.id = x.store_id WHERE NOT x.deleted AND x.payload_erased_at IS NULL "
                            + "AND x.expiration IS NOT NULL AND x.expiration <= :horizon "
                            + "AND (x.expiration > :e OR (x.expiration = :e AND x.id > :id)) "
                            + "ORDER BY x.expiration, x.id LIMIT :n")
                    .bind("horizon", now + within.toMillis()).bind("e", exp0).bind("id", id0).bind("n", PAGE)
                    .map((rs, ctx) -> new Object[] {new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)).toString(), rs.getLong(6)), rs.getLong(5)})
                    .list());
            for (Object[] r : page) {
                out.add((Row) r[0]);
            }
            if (page.size() < PAGE) {
                return out;
            }
            Object[] last = page.get(page.size() - 1);
            afterExp = (Long) last[1];
            afterId = ((Row) last[0]).secretId();
        }
    }

    void print(List<Row> rows, PrintStream out) throws Exception {
        switch (format) {
            case json -> {
                List<Map<String, Object>> list = new ArrayList<>();
                for (Row r : rows) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("project", r.project());
                    m.put("secret_id", r.secretId());
                    m.put("name", r.name());
                    m.put("store", r.store());
                    m.put("expiration", r.expiration());
                    m.put("consumers", r.consumers());
                    list.add(m);
                }
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list));
            }
            case csv -> {
                out.println("project,secret_id,name,store,expiration,consumers");
                for (Row r : rows) {
                    out.println(String.join(",", csv(r.project()), r.secretId(), csv(r.name()), csv(r.store()),
                            r.expiration(), Long.toString(r.consumers())));
                }
            }
            case table -> {
                String f = "%-34s %-36s %-24s %-12s %-24s %s%n";
                out.printf(f, "PROJECT", "SECRET ID", "NAME", "STORE", "EXPIRATION", "CONSUMERS");
                for (Row r : rows) {
                    out.printf(f, r.project(), r.secretId(), r.name() == null ? "" : r.name(), r.store(), r.expiration(),
                            r.consumers());
                }
                out.printf("%d secret(s) expire within %s%n", rows.size(), within);
            }
        }
    }

    /** RFC 4180: quote fields with commas, quotes or line breaks. */
    static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.matches("[^,\"\\r\\n]*") ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
