package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the loader warns about at start: settings that load but probably do not mean what was written. */
class ConfigWarningsTest {
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    private PortcullisConfig load(String text) {
        return ConfigLoader.from(IniFile.parse("/etc/portcullis/portcullis.conf", text.lines().toList()),
                Path.of("/srv/portcullis"));
    }

    private List<String> warnings() {
        return events.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aValueWithAnInlineCommentLoadsAsWrittenAndIsWarnedAboutByFileAndLine() {
        PortcullisConfig c = load(KEK + """
                [DEFAULT]
                host_href = https://kms.example.org          # base of every href
                """);

        assertThat(c.hostHref()).isEqualTo("https://kms.example.org          # base of every href");
        assertThat(warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("/etc/portcullis/portcullis.conf:4: [DEFAULT] host_href ")
                .contains("inline comment"));
    }

    @Test
    void commentsOnTheirOwnLinesAreNotWarnedAbout() {
        load(KEK + """
                [DEFAULT]
                # base of every href
                host_href = https://kms.example.org
                """);

        assertThat(warnings()).noneSatisfy(w -> assertThat(w).contains("inline comment"));
    }

    private List<String> policyWarnings() {
        return warnings().stream().filter(w -> w.contains("enforce_scope")).toList();
    }

    @Test
    void enforceScopeFalseIsNamedAtStartWithWhatItDoes() {
        Logger policyLog = (Logger) LoggerFactory.getLogger(PolicySettingsReader.class);
        policyLog.addAppender(events);
        try {
            PortcullisConfig current = load(KEK + "[oslo_policy]\nenforce_scope = False\n");
            assertThat(current.policy().enforceScope()).isFalse();
            assertThat(policyWarnings()).singleElement().asString()
                    .startsWith("/etc/portcullis/portcullis.conf:4: [oslo_policy] enforce_scope = False")
                    .contains("has no effect");
            events.list.clear();

            PortcullisConfig old = load(KEK + "[oslo_policy]\nenforce_scope = False\n[portcullis]\npolicy_defaults = 2023.1\n");
            assertThat(old.policy().defaults()).isEqualTo("2023.1");
            assertThat(policyWarnings()).singleElement().asString().contains("project_quotas");
            assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("policy_defaults = 2023.1 without Keystone"));
            events.list.clear();

            load(KEK + "[oslo_policy]\nenforce_scope = True\n");
            assertThat(policyWarnings()).isEmpty();
        } finally {
            policyLog.detachAppender(events);
        }
    }

    @Test
    void policyDefaultsMustNameAProfile() {
        assertThat(load(KEK).policy().defaults()).isEqualTo("current");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(KEK + "[portcullis]\npolicy_defaults = 2024.1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[portcullis] policy_defaults must be current")
                .hasMessageContaining("2023.1");
    }
}
