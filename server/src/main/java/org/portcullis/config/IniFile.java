package org.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oslo.config INI dialect barbican.conf is written in: {@code [section]}, {@code key = value},
 * {@code #} and {@code ;} comments on their own lines only (text after {@code #} in a value is
 * part of the value, as in oslo.config), continuation lines indented under a key. Section names are
 * kept as written ({@code DEFAULT} in capitals); keys are case-sensitive, as in oslo.config.
 */
public final class IniFile {
    /** One value and the line it came from, so errors can point at it. */
    public record Entry(String value, int line) {}

    private final String source;
    private final Map<String, Map<String, Entry>> sections;
    private final List<String> likelyInlineComments;

    private IniFile(String source, Map<String, Map<String, Entry>> sections, List<String> likelyInlineComments) {
        this.source = source;
        this.sections = sections;
        this.likelyInlineComments = List.copyOf(likelyInlineComments);
    }

    public static IniFile read(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage(), e);
        }
    }

    public static IniFile parse(String source, List<String> lines) {
        Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
        Map<String, Entry> current = null;
        List<String> inlineComments = new java.util.ArrayList<>();
        String currentSection = null;
        String lastKey = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                Entry previous = current.get(lastKey);
                current.put(lastKey, new Entry(previous.value() + "\n" + line, previous.line()));
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfigException(source + ":" + lineNo + ": malformed section header '" + line + "'"
                            + (line.contains("#") ? " (comments go on their own line, not after a header)" : ""));
                }
                currentSection = line.substring(1, line.length() - 1).strip();
                current = sections.computeIfAbsent(currentSection, k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int sep = separator(line);
            if (sep <= 0) {
                throw new ConfigException(source + ":" + lineNo + ": expected 'key = value', found '" + line + "'");
            }
            if (current == null) {
                throw new ConfigException(source + ":" + lineNo + ": key '" + line.substring(0, sep).strip()
                        + "' appears before any [section]");
            }
            String key = line.substring(0, sep).strip();
            String value = line.substring(sep + 1).strip();
            if (INLINE_COMMENT.matcher(value).find()) {
                // The value itself is not quoted: it may be a password.
                inlineComments.add(source + ":" + lineNo + ": [" + currentSection + "] " + key + " has ' #' in its "
                        + "value, likely an inline comment: comments are only recognised on their own line, so the "
                        + "text after '#' is part of the value; move the comment to the line above");
            }
            if (current.containsKey(key)) {
                throw new ConfigException(source + ":" + lineNo + ": [" + currentSection + "] " + key
                        + " is set twice (first on line " + current.get(key).line() + ")");
            }
            current.put(key, new Entry(value, lineNo));
            lastKey = key;
        }
        return new IniFile(source, sections, inlineComments);
    }

    /** Whitespace then {@code #}: how an inline comment looks, which oslo.config keeps in the value. */
    private static final java.util.regex.Pattern INLINE_COMMENT = java.util.regex.Pattern.compile("\\s#");

    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    /**
     * Values that look like they end in an inline comment ({@code key = value  # note}), one
     * message naming file, line, section and key each. oslo.config keeps such text in the value,
     * and so does this reader (a {@code #} may belong to a password); the loader warns instead.
     */
    public List<String> likelyInlineComments() {
        return likelyInlineComments;
    }

    public String source() {
        return source;
    }

    public Map<String, Map<String, Entry>> sections() {
        return sections;
    }

    public Map<String, Entry> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }
}
