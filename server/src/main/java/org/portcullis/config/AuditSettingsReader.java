package org.portcullis.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code [audit]}: where the trail goes and how durably. */
final class AuditSettingsReader {
    private AuditSettingsReader() {}

    /** RFC 5424 facility codes by the names syslog.conf uses. */
    private static final Map<String, Integer> SYSLOG_FACILITIES = Map.ofEntries(Map.entry("kern", 0),
            Map.entry("user", 1), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("authpriv", 10),
            Map.entry("local0", 16), Map.entry("local1", 17), Map.entry("local2", 18), Map.entry("local3", 19),
            Map.entry("local4", 20), Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

    static PortcullisConfig.AuditSettings read(ConfigLoader.Reader r, Path baseDir, Path dataDir) {
        boolean enabled = r.bool("audit", "enabled", true);
        PortcullisConfig.AuditSettings.Sink sink = switch (r.string("audit", "sink", "file").toLowerCase(Locale.ROOT)) {
            case "file" -> PortcullisConfig.AuditSettings.Sink.FILE;
            case "syslog" -> PortcullisConfig.AuditSettings.Sink.SYSLOG;
            default -> throw r.invalid("audit", "sink", "must be file or syslog");
        };
        PortcullisConfig.AuditSettings.Fsync fsync = switch (r.string("audit", "fsync", "always").toLowerCase(Locale.ROOT)) {
            case "always" -> PortcullisConfig.AuditSettings.Fsync.ALWAYS;
            case "interval" -> PortcullisConfig.AuditSettings.Fsync.INTERVAL;
            case "never" -> PortcullisConfig.AuditSettings.Fsync.NEVER;
            default -> throw r.invalid("audit", "fsync", "must be always, interval or never");
        };
        java.net.URI syslog = null;
        String address = r.string("audit", "syslog_address", sink == PortcullisConfig.AuditSettings.Sink.SYSLOG
                ? "udp://127.0.0.1:514" : null);
        if (address != null) {
            try {
                syslog = new java.net.URI(address.contains("://") ? address : "udp://" + address);
            } catch (java.net.URISyntaxException e) {
                syslog = null;
            }
            if (syslog == null || !Set.of("udp", "tcp").contains(String.valueOf(syslog.getScheme()))
                    || syslog.getHost() == null || syslog.getPort() < 1) {
                throw r.invalid("audit", "syslog_address", "expected udp://HOST:PORT or tcp://HOST:PORT (Java cannot "
                        + "write datagrams to /dev/log; point it at rsyslog's imudp or imtcp), got '" + address + "'");
            }
        }
        String facility = r.string("audit", "syslog_facility", "authpriv").toLowerCase(Locale.ROOT);
        Integer code = SYSLOG_FACILITIES.get(facility);
        if (code == null) {
            throw r.invalid("audit", "syslog_facility", "must be one of " + new java.util.TreeSet<>(SYSLOG_FACILITIES.keySet()));
        }
        Path file = r.path("audit", "file", baseDir, dataDir.resolve("audit.log"));
        Path keyFile = r.path("audit", "hmac_key_file", baseDir, null);
        if (keyFile != null && !java.nio.file.Files.isRegularFile(keyFile)) {
            throw r.invalid("audit", "hmac_key_file", "names " + keyFile + ", which does not exist");
        }
        return new PortcullisConfig.AuditSettings(enabled, sink, file, fsync, syslog, code, keyFile);
    }
}
