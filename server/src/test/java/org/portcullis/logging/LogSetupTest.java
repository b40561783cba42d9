package org.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.LogbackServiceProvider;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** SLF4J's backend named up front: logback, unless the command line named another. */
class LogSetupTest {
    private static final String PROVIDER = "slf4j.provider";
    private static final String VERBOSITY = "slf4j.internal.verbosity";

    @Test
    void namesLogbackAndKeepsSlf4jsOwnReportsToWarnings() {
        String[] seen = withProperties(null, null, () -> new String[] {System.getProperty(PROVIDER),
                System.getProperty(VERBOSITY)});
        assertThat(seen).containsExactly(LogbackServiceProvider.class.getName(), "WARN");
    }

    @Test
    void aProviderOrVerbosityGivenOnTheCommandLineWins() {
        String[] seen = withProperties("org.example.OtherProvider", "DEBUG",
                () -> new String[] {System.getProperty(PROVIDER), System.getProperty(VERBOSITY)});
        assertThat(seen).containsExactly("org.example.OtherProvider", "DEBUG");
        String verbosity = withProperties(null, "DEBUG", () -> System.getProperty(VERBOSITY));
        assertThat(verbosity).isEqualTo("DEBUG");
    }

    /** Runs bindBackend with these properties (null: unset), then {@code read}; restores both. */
    private static <T> T withProperties(String provider, String verbosity, Supplier<T> read) {
        String oldProvider = System.getProperty(PROVIDER);
        String oldVerbosity = System.getProperty(VERBOSITY);
        try {
            set(PROVIDER, provider);
            set(VERBOSITY, verbosity);
            LogSetup.bindBackend();
            return read.get();
        } finally {
            set(PROVIDER, oldProvider);
            set(VERBOSITY, oldVerbosity);
        }
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
