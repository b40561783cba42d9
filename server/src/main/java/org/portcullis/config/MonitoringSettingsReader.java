package org.portcullis.config;

import java.net.InetSocketAddress;
import java.util.Locale;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.portcullis.config.PortcullisConfig.MonitoringSettings.LogFormat;

/** Reads what operators watch the node with, from {@code [portcullis]}: metrics address, log format and level. */
final class MonitoringSettingsReader {
    private static final String S = "portcullis";

    private MonitoringSettingsReader() {}

    static MonitoringSettings read(ConfigLoader.Reader r) {
        InetSocketAddress metricsBind = null;
        String bind = r.string(S, "metrics_bind", null);
        if (bind != null) {
            int colon = bind.lastIndexOf(':');
            String host = colon > 0 ? bind.substring(0, colon).replaceAll("^\\[|]$", "") : "";
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(bind.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 0 || port > 65535) {
                throw r.invalid(S, "metrics_bind", "expected HOST:PORT (e.g. 127.0.0.1:9312), got '" + bind + "'");
            }
            metricsBind = InetSocketAddress.createUnresolved(host, port);
        }
        LogFormat format = switch (r.string(S, "log_format", "text").toLowerCase(Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw r.invalid(S, "log_format", "must be text or json");
        };
        String level = r.string(S, "log_level", null);
        if (level != null) {
            level = level.toUpperCase(Locale.ROOT);
            if (!MonitoringSettings.LEVELS.contains(level)) {
                throw r.invalid(S, "log_level", "must be one of " + MonitoringSettings.LEVELS);
            }
        }
        // 0 turns the warning scan and the gauge off
        int warningDays = r.integer(S, "expiry_warning_days", 30, 0, 3650);
        return new MonitoringSettings(metricsBind, format, level, warningDays);
    }
}
