package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.StoreSettings;

class DevEnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void createsTwoOwnerOnlyKeksOfThirtyTwoBytes() throws Exception {
        Path home = tmp.resolve("dev-home");
        DevEnvironment.prepare(home, "127.0.0.1", 9311);

        for (String name : new String[] {"kek-software", "kek-software-2"}) {
            Path kek = home.resolve(name);
            assertThat(kek).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek))).isEqualTo("r--------");
            byte[] raw = Base64.getDecoder().decode(Files.readString(kek).strip());
            assertThat(raw).hasSize(32);
        }
        assertThat(Files.readString(home.resolve("kek-software")))
                .isNotEqualTo(Files.readString(home.resolve("kek-software-2")));
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary files left behind")
                    .containsExactlyInAnyOrder("kek-software", "kek-software-2", "portcullis.conf");
        }
    }

    @Test
    void writesAConfigurationTheLoaderAccepts() throws Exception {
        Path home = tmp.resolve("dev-home");
        Path conf = DevEnvironment.prepare(home, "127.0.0.2", 9444);

        assertThat(conf).isEqualTo(home.resolve("portcullis.conf"));
        PortcullisConfig c = ConfigLoader.load(conf);

        assertThat(c.http().bindHost()).isEqualTo("127.0.0.2");
        assertThat(c.http().bindPort()).isEqualTo(9444);
        assertThat(c.dataDir()).isEqualTo(home);
        assertThat(c.database().kind()).isEqualTo(DatabaseSettings.Kind.SQLITE);
        assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:sqlite:" + home.resolve("portcullis.sqlite"));

        StoreSettings stores = c.stores();
        assertThat(stores.multipleStores()).isTrue();
        assertThat(stores.stores()).extracting(StoreSettings.Store::name).containsExactly("software", "software-2");
        assertThat(stores.globalDefault().name()).isEqualTo("software");
        assertThat(stores.stores()).allSatisfy(s -> {
            assertThat(s.storePlugin()).isEqualTo("store_crypto");
            assertThat(s.cryptoPlugin()).isEqualTo("simple_crypto");
        });
        assertThat(stores.stores().get(0).kek().file()).isEqualTo(home.resolve("kek-software"));
        assertThat(stores.stores().get(1).kek().file()).isEqualTo(home.resolve("kek-software-2"));
    }

    @Test
    void secondCallKeepsTheKeks() throws Exception {
        Path home = tmp.resolve("dev-home");
        DevEnvironment.prepare(home, "127.0.0.1", 9311);
        String kek1 = Files.readString(home.resolve("kek-software"));
        String kek2 = Files.readString(home.resolve("kek-software-2"));

        Path conf = DevEnvironment.prepare(home, "127.0.0.1", 9311);

        assertThat(Files.readString(home.resolve("kek-software"))).isEqualTo(kek1);
        assertThat(Files.readString(home.resolve("kek-software-2"))).isEqualTo(kek2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("kek-software"))))
                .isEqualTo("r--------");
        assertThat(ConfigLoader.load(conf).stores().stores()).hasSize(2);
    }

    @Test
    void secondCallAppliesTheNewPortButKeepsTheKeys() throws Exception {
        Path home = tmp.resolve("dev-home");
        DevEnvironment.prepare(home, "127.0.0.1", 9311);
        String kek = Files.readString(home.resolve("kek-software"));
        Path conf = DevEnvironment.prepare(home, "127.0.0.1", 9400);
        assertThat(ConfigLoader.load(conf).http().bindPort()).isEqualTo(9400);
        assertThat(Files.readString(home.resolve("kek-software"))).isEqualTo(kek);
    }
}
