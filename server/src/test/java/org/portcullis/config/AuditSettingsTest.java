package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.AuditSettings;

/** {@code [audit]}: defaults, every key, and errors that name file, line, section and key. */
class AuditSettingsTest {
    private static final Path BASE = Path.of("/srv/portcullis");
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";

    private static AuditSettings load(String audit) {
        return ConfigLoader.from(IniFile.parse("barbican.conf", (KEK + audit).lines().toList()), BASE).audit();
    }

    @Test
    void onByDefaultIntoTheDataDirectoryWithFsyncPerEvent() {
        AuditSettings a = load("");
        assertThat(a.enabled()).isTrue();
        assertThat(a.sink()).isEqualTo(AuditSettings.Sink.FILE);
        assertThat(a.file()).isEqualTo(BASE.resolve("portcullis-data/audit.log"));
        assertThat(a.fsync()).isEqualTo(AuditSettings.Fsync.ALWAYS);
        assertThat(a.syslogAddress()).isNull();
        assertThat(a.syslogFacility()).isEqualTo(10);
        assertThat(a.hmacKeyFile()).isNull();
    }

    @Test
    void readsEveryKey() {
        AuditSettings a = load("[audit]\nenabled = True\nsink = syslog\nfile = logs/audit.log\nfsync = interval\n"
                + "syslog_address = tcp://collector.example:6514\nsyslog_facility = local4\n");
        assertThat(a.sink()).isEqualTo(AuditSettings.Sink.SYSLOG);
        assertThat(a.file()).isEqualTo(BASE.resolve("logs/audit.log"));
        assertThat(a.fsync()).isEqualTo(AuditSettings.Fsync.INTERVAL);
        assertThat(a.syslogAddress()).isEqualTo(URI.create("tcp://collector.example:6514"));
        assertThat(a.syslogFacility()).isEqualTo(20);
        assertThat(load("[audit]\nsink = syslog\n").syslogAddress()).isEqualTo(URI.create("udp://127.0.0.1:514"));
        assertThat(load("[audit]\nsink = syslog\nsyslog_address = 10.0.0.1:514\n").syslogAddress())
                .isEqualTo(URI.create("udp://10.0.0.1:514"));
        assertThat(load("[audit]\nenabled = False\n").enabled()).isFalse();
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> load("[audit]\nsink = kafka\n")).isInstanceOf(ConfigException.class)
                .hasMessage("barbican.conf:4: [audit] sink must be file or syslog");
        assertThatThrownBy(() -> load("[audit]\nfsync = sometimes\n")).hasMessageContaining("[audit] fsync must be");
        assertThatThrownBy(() -> load("[audit]\nsink = syslog\nsyslog_address = unix:///dev/log\n"))
                .hasMessageContaining(":5: [audit] syslog_address expected udp://HOST:PORT or tcp://HOST:PORT");
        assertThatThrownBy(() -> load("[audit]\nsyslog_facility = mail2\n"))
                .hasMessageContaining("[audit] syslog_facility must be one of");
        assertThatThrownBy(() -> load("[audit]\nhmac_key_file = /nonexistent/key\n"))
                .hasMessageContaining("[audit] hmac_key_file names /nonexistent/key, which does not exist");
        assertThatThrownBy(() -> load("[audit]\nrotate = daily\n")).hasMessageContaining("unknown key [audit] rotate");
    }
}
