package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.MonitoringSettings;
import org.portcullis.config.PortcullisConfig.MonitoringSettings.LogFormat;

/** {@code [portcullis]} metrics_bind, log_format, log_level, expiry_warning_days: defaults, values, errors. */
class MonitoringSettingsTest {
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";

    private static MonitoringSettings load(String portcullis) {
        return ConfigLoader.from(IniFile.parse("barbican.conf", (KEK + "[portcullis]\n" + portcullis).lines().toList()),
                Path.of("/srv/portcullis")).monitoring();
    }

    @Test
    void defaultsAreTextAtInfoWithoutASeparateMetricsAddress() {
        assertThat(load("")).isEqualTo(MonitoringSettings.DEFAULTS);
    }

    @Test
    void readsEveryKey() {
        MonitoringSettings m = load("metrics_bind = [::1]:9312\nlog_format = JSON\nlog_level = debug\n"
                + "expiry_warning_days = 14\n");
        assertThat(m.metricsBind().getHostString()).isEqualTo("::1");
        assertThat(m.metricsBind().getPort()).isEqualTo(9312);
        assertThat(m.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(m.logLevel()).isEqualTo("DEBUG");
        assertThat(m.expiryWarningDays()).isEqualTo(14);
        assertThat(load("metrics_bind = 0.0.0.0:0\n").metricsBind().getHostString()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesWhatItCannotUseNamingTheKey() {
        assertThatThrownBy(() -> load("metrics_bind = 9312\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics_bind").hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> load("metrics_bind = localhost:http\n")).hasMessageContaining("metrics_bind");
        assertThatThrownBy(() -> load("metrics_bind = localhost:70000\n")).hasMessageContaining("metrics_bind");
        assertThatThrownBy(() -> load("log_format = xml\n")).hasMessageContaining("log_format");
        assertThatThrownBy(() -> load("log_level = LOUD\n")).hasMessageContaining("log_level");
        assertThatThrownBy(() -> load("expiry_warning_days = -1\n")).hasMessageContaining("expiry_warning_days");
    }
}
