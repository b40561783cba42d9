package org.portcullis.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the client really connected, as a TLS-terminating proxy tells it: oslo.middleware's
 * {@code http_proxy_to_wsgi}, which Barbican runs when {@code [oslo_middleware]
 * enable_proxy_headers_parsing = True}. RFC 7239 {@code Forwarded} wins (its first element, the
 * proxy nearest the client); without it {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}
 * (first of a list); {@code X-Forwarded-Prefix} is a path the proxy serves the API under.
 * Values that are not a plain scheme, host or path are ignored: a header must not be able to
 * put arbitrary text into every href.
 */
public final class ForwardedHeaders {
    private ForwardedHeaders() {}

    /** What the headers say; a null member means "not said (or not valid): use the request's own". */
    public record Origin(String scheme, String host, String prefix) {
        public static final Origin NONE = new Origin(null, null, null);
    }

    /** host, host:port, [v6], [v6]:port — nothing that could carry a path, user info or spaces. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
            + "(:[0-9]{1,5})?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+/?");

    public static Origin read(String forwarded, String xProto, String xHost, String xPrefix) {
        String scheme = null;
        String host = null;
        if (forwarded != null && !forwarded.isBlank()) {
            String first = forwarded.split(",", 2)[0];
            for (String pair : first.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(pair.substring(eq + 1).strip());
                if (name.equals("proto")) {
                    scheme = value;
                } else if (name.equals("host")) {
                    host = value;
                }
            }
        } else {
            scheme = first(xProto);
            host = first(xHost);
        }
        String prefix = xPrefix == null ? null : xPrefix.strip();
        return new Origin(scheme(scheme), host != null && HOST.matcher(host).matches() ? host : null,
                prefix != null && PREFIX.matcher(prefix).matches() ? prefix.replaceAll("/$", "") : null);
    }

    private static String scheme(String s) {
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    private static String first(String list) {
        return list == null || list.isBlank() ? null : list.split(",", 2)[0].strip();
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
