package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {

    private static IniFile parse(String text) {
        return IniFile.parse("test.conf", text.lines().toList());
    }

    @Test
    void readsSectionsKeysAndLineNumbers() {
        IniFile ini = parse("""
                [DEFAULT]
                debug = True
                host_href=http://kms.example:9311

                [secretstore:software]
                global_default: True
                """);

        assertThat(ini.source()).isEqualTo("test.conf");
        assertThat(ini.sections()).containsOnlyKeys("DEFAULT", "secretstore:software");
        assertThat(ini.section("DEFAULT").get("debug")).isEqualTo(new IniFile.Entry("True", 2));
        assertThat(ini.section("DEFAULT").get("host_href").value()).isEqualTo("http://kms.example:9311");
        assertThat(ini.section("secretstore:software").get("global_default")).isEqualTo(new IniFile.Entry("True", 6));
    }

    @Test
    void sectionNamesKeepTheirCaseAndMissingSectionIsEmpty() {
        IniFile ini = parse("[DEFAULT]\na = 1\n");
        assertThat(ini.section("default")).isEmpty();
        assertThat(ini.section("nowhere")).isEmpty();
        assertThat(ini.section("DEFAULT")).containsKey("a");
    }

    @Test
    void skipsHashAndSemicolonCommentsAndBlankLines() {
        IniFile ini = parse("""
                # a comment
                ; another comment
                [DEFAULT]
                   # indented comment
                a = 1

                ;b = 2
                #c = 3
                """);
        assertThat(ini.section("DEFAULT")).containsOnlyKeys("a");
    }

    @Test
    void continuationLinesAreJoinedWithNewlines() {
        IniFile ini = parse("""
                [secretstore]
                stores_lookup_suffix = one,
                    two,
                  three
                after = x
                """);
        IniFile.Entry entry = ini.section("secretstore").get("stores_lookup_suffix");
        assertThat(entry.value()).isEqualTo("one,\ntwo,\nthree");
        assertThat(entry.line()).isEqualTo(2);
        assertThat(ini.section("secretstore").get("after").value()).isEqualTo("x");
    }

    @Test
    void emptyValueIsKept() {
        IniFile ini = parse("[DEFAULT]\nhost_href =\n");
        assertThat(ini.section("DEFAULT").get("host_href").value()).isEmpty();
    }

    @Test
    void valueMayContainEqualsAndColons() {
        IniFile ini = parse("[DEFAULT]\nsql_connection = postgresql://u:p@h:5432/db?x=y\n");
        assertThat(ini.section("DEFAULT").get("sql_connection").value()).isEqualTo("postgresql://u:p@h:5432/db?x=y");
    }

    @Test
    void repeatedSectionMerges() {
        IniFile ini = parse("[DEFAULT]\na = 1\n[other]\nb = 2\n[DEFAULT]\nc = 3\n");
        assertThat(ini.section("DEFAULT")).containsOnlyKeys("a", "c");
    }

    @Test
    void duplicateKeyNamesBothLines() {
        assertThatThrownBy(() -> parse("[DEFAULT]\ndebug = True\n\ndebug = False\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:4")
                .hasMessageContaining("[DEFAULT] debug")
                .hasMessageContaining("first on line 2");
    }

    @Test
    void duplicateKeyAcrossRepeatedSectionIsAnError() {
        assertThatThrownBy(() -> parse("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:4");
    }

    @Test
    void keyBeforeAnySectionIsAnError() {
        assertThatThrownBy(() -> parse("# header\ndebug = True\n[DEFAULT]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:2")
                .hasMessageContaining("'debug'")
                .hasMessageContaining("before any [section]");
    }

    @Test
    void lineWithoutSeparatorIsAnError() {
        assertThatThrownBy(() -> parse("[DEFAULT]\njust words\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:2")
                .hasMessageContaining("key = value");
    }

    @Test
    void lineStartingWithSeparatorIsAnError() {
        assertThatThrownBy(() -> parse("[DEFAULT]\n= value\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:2");
    }

    @Test
    void malformedSectionHeaderIsAnError() {
        assertThatThrownBy(() -> parse("[DEFAULT\na = 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:1")
                .hasMessageContaining("malformed section header");
        assertThatThrownBy(() -> parse("[]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("malformed section header");
    }

    @Test
    void readUsesThePathAsSource(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("barbican.conf");
        Files.write(file, List.of("[DEFAULT]", "a = 1", "a = 2"));
        assertThatThrownBy(() -> IniFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3:");
    }

    @Test
    void readOfMissingFileIsAConfigException(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> IniFile.read(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot read configuration file");
    }

    @Test
    void textAfterHashInAValueIsKeptAndReportedAsALikelyInlineComment() {
        IniFile ini = parse("""
                [DEFAULT]
                host_href = https://kms.example.org   # base of every href
                [keystone_authtoken]
                password = pa#ss
                """);

        assertThat(ini.section("DEFAULT").get("host_href").value())
                .isEqualTo("https://kms.example.org   # base of every href");
        assertThat(ini.likelyInlineComments()).singleElement().asString()
                .startsWith("test.conf:2: [DEFAULT] host_href ")
                .contains("inline comment")
                .doesNotContain("kms.example.org");
    }

    @Test
    void aCommentAfterASectionHeaderSaysWhereCommentsGo() {
        assertThatThrownBy(() -> parse("[secretstore:two]   # a second store\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.conf:1")
                .hasMessageContaining("comments go on their own line");
    }
}
