package org.portcullis.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin options of one configured secret store: the keys of its plugin's section
 * ({@code [p11_crypto_plugin]}, {@code [kmip_plugin]}, …) overlaid by the same keys written in
 * its own {@code [secretstore:NAME]} section, so two stores of one plugin can differ. Each value
 * remembers where it was written, and every parse error names that file, line, section and key.
 */
public final class StoreOptions {
    /** A value and where it was written: {@code file:line: [section]}. */
    public record Value(String text, String section, int line) {}

    private final String source;
    private final Path baseDir;
    private final Map<String, Value> values;

    public StoreOptions(String source, Path baseDir, Map<String, Value> values) {
        this.source = source;
        this.baseDir = baseDir;
        this.values = Map.copyOf(new LinkedHashMap<>(values));
    }

    public static StoreOptions empty(String source, Path baseDir) {
        return new StoreOptions(source, baseDir, Map.of());
    }

    /** The configuration file these options came from, for messages such as "run … --config FILE". */
    public String source() {
        return source;
    }

    public boolean has(String key) {
        Value v = values.get(key);
        return v != null && !v.text().isEmpty();
    }

    public Optional<String> string(String key) {
        return has(key) ? Optional.of(values.get(key).text()) : Optional.empty();
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public String required(String key) {
        return string(key).orElseThrow(() -> invalid(key, "is required"));
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < min || n > max) {
                throw invalid(key, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, "expected an integer, got '" + v.get() + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, "expected True or False, got '" + v.get() + "'");
        };
    }

    /** A path; relative ones are taken from the configuration file's directory. */
    public Optional<Path> path(String key) {
        return string(key).map(v -> {
            Path p = Path.of(v);
            return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
        });
    }

    /** A comma-separated list of paths (e.g. {@code previous_kek_files = a, b}), resolved as {@link #path}. */
    public java.util.List<Path> paths(String key) {
        return java.util.Arrays.stream(string(key, "").split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> Path.of(v).isAbsolute() ? Path.of(v) : baseDir.resolve(v).normalize()).toList();
    }

    /** Where a key was written, for messages: {@code [section] key} (or the plugin section if unset). */
    public String origin(String key) {
        Value v = values.get(key);
        return v == null ? key : "[" + v.section() + "] " + key;
    }

    public ConfigException invalid(String key, String problem) {
        Value v = values.get(key);
        String where = v == null ? ": " : ":" + v.line() + ": [" + v.section() + "] ";
        return new ConfigException(source + where + key + " " + problem);
    }
}
