package org.portcullis.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The user and password of a database URL's user info ({@code scheme://user:password@host/db}),
 * percent-decoded as SQLAlchemy and libpq write them; either is null when absent. One reading for
 * Portcullis' own [database] connection and for Barbican's, which the import opens.
 */
public record UrlCredentials(String user, String password) {
    public static UrlCredentials of(URI uri) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return new UrlCredentials(null, null);
        }
        String[] parts = info.split(":", 2);
        return new UrlCredentials(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : null);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
