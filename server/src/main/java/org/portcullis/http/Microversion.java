package org.portcullis.http;

/**
 * The key-manager microversion a request asked for ({@code OpenStack-API-Version: key-manager
 * 1.1}). 1.1 adds secret consumers; 1.2 refuses to delete a secret that still has consumers
 * unless the caller says {@code force=true}.
 */
public record Microversion(int major, int minor) implements Comparable<Microversion> {
    public static final Microversion MIN = new Microversion(1, 0);
    public static final Microversion MAX = new Microversion(1, 2);
    public static final Microversion DEFAULT = MIN;
    public static final String HEADER = "OpenStack-API-Version";
    public static final String SERVICE = "key-manager";

    /**
     * Reads the header value; null means no key-manager version was asked for. Versions outside
     * 1.0-1.2 and unparsable values are 406, as Barbican's microversion middleware answers.
     */
    public static Microversion fromHeader(String header) {
        if (header == null) {
            return DEFAULT;
        }
        for (String part : header.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length != 2 || !words[0].equalsIgnoreCase(SERVICE)) {
                continue;
            }
            if (words[1].equalsIgnoreCase("latest")) {
                return MAX;
            }
            Microversion asked = parse(words[1]);
            if (asked == null || asked.compareTo(MIN) < 0 || asked.compareTo(MAX) > 0) {
                throw new ApiException(406, "Version " + words[1] + " is not supported by the API. Minimum is "
                        + MIN + " and maximum is " + MAX + ".");
            }
            return asked;
        }
        return DEFAULT;
    }

    private static Microversion parse(String text) {
        int dot = text.indexOf('.');
        if (dot < 1) {
            return null;
        }
        try {
            return new Microversion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new Microversion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(Microversion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
