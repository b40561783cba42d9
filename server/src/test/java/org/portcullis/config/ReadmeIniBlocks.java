package org.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```ini} blocks of README.md and the convention that says what each one is.
 *
 * <p>A block is a whole configuration unless the line right above its fence is
 * {@code <!-- ini: fragment -->} (anything may follow "fragment", e.g. what it is a fragment of):
 * then it is laid over {@link #BASE}, a minimal configuration (SQLite, one software store), its
 * keys replacing the base's. Any other {@code <!-- ini: ... -->} marker is an error, so a typo
 * cannot exempt a block.
 */
final class ReadmeIniBlocks {
    private ReadmeIniBlocks() {}

    /** One block: where its text starts in README.md (1-based line), whether it is a fragment, its lines. */
    record Block(int line, boolean fragment, List<String> lines) {
        @Override
        public String toString() {
            return "README.md:" + line + (fragment ? " (fragment)" : "");
        }
    }

    private static final Pattern MARKER = Pattern.compile("^<!--\\s*ini:\\s*(.*?)\\s*-->\\s*$");

    /** What a fragment is laid over; {@code DIR} is the test's directory. */
    static final String BASE = """
            [DEFAULT]
            sql_connection = sqlite:///DIR/base.sqlite

            [portcullis]
            bind_host = 127.0.0.1
            bind_port = 0
            data_dir = DIR/data

            [simple_crypto_plugin]
            kek_file = DIR/base-kek
            """;

    static List<Block> read(Path readme) throws IOException {
        List<String> all = Files.readAllLines(readme);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).strip().equals("```ini")) {
                continue;
            }
            boolean fragment = false;
            if (i > 0) {
                Matcher m = MARKER.matcher(all.get(i - 1).strip());
                if (m.matches()) {
                    if (!m.group(1).startsWith("fragment")) {
                        throw new IllegalStateException("README.md:" + i + ": unknown ini marker '" + m.group(1)
                                + "' (only '<!-- ini: fragment ... -->' is understood)");
                    }
                    fragment = true;
                }
            }
            int end = i + 1;
            while (end < all.size() && !all.get(end).strip().startsWith("```")) {
                end++;
            }
            if (end == all.size()) {
                throw new IllegalStateException("README.md:" + (i + 1) + ": ```ini block is never closed");
            }
            blocks.add(new Block(i + 2, fragment, List.copyOf(all.subList(i + 1, end))));
            i = end;
        }
        return blocks;
    }

    /** {@code base} with the keys {@code fragment} sets removed, then the fragment after it. */
    static List<String> layOver(List<String> base, List<String> fragment) {
        IniFile over = IniFile.parse("fragment", fragment);
        List<String> out = new ArrayList<>();
        String section = null;
        for (String line : base) {
            String s = line.strip();
            if (s.startsWith("[") && s.endsWith("]")) {
                section = s.substring(1, s.length() - 1);
            } else if (section != null && s.contains("=") && !s.startsWith("#")
                    && over.section(section).containsKey(s.substring(0, s.indexOf('=')).strip())) {
                continue;
            }
            out.add(line);
        }
        out.add("");
        out.addAll(fragment);
        return out;
    }

    /** Rewrites {@code key = value} lines: {@code rewrite} gets (section, key, value), returns the new value. */
    static List<String> rewrite(List<String> lines, ValueRewriter rewrite) throws Exception {
        List<String> out = new ArrayList<>();
        String section = null;
        for (String line : lines) {
            String s = line.strip();
            if (s.startsWith("[") && s.endsWith("]")) {
                section = s.substring(1, s.length() - 1);
            } else if (section != null && !s.isEmpty() && !s.startsWith("#") && !s.startsWith(";")
                    && !Character.isWhitespace(line.charAt(0))) {
                int eq = s.indexOf('=');
                if (eq > 0) {
                    String key = s.substring(0, eq).strip();
                    String value = s.substring(eq + 1).strip();
                    line = key + " = " + rewrite.apply(section, key, value);
                }
            }
            out.add(line);
        }
        return out;
    }

    /** The sections a configuration's lines name, each with its keys. */
    static Map<String, Set<String>> keys(List<String> lines) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        IniFile.parse("block", lines).sections().forEach((name, entries) -> out.put(name, entries.keySet()));
        return out;
    }

    @FunctionalInterface
    interface ValueRewriter {
        String apply(String section, String key, String value) throws Exception;
    }
}
