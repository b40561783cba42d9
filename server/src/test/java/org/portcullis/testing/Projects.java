package org.portcullis.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the shared reference directory are, from inside a test JVM. */
public final class Projects {
    private Projects() {}

    /** The repository root: the nearest parent with the launcher script. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("portcullis"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code ../shared} beside the repository, or {@code PORTCULLIS_SHARED}. */
    public static Path shared() {
        String env = System.getenv("PORTCULLIS_SHARED");
        Path shared = env != null && !env.isBlank() ? Path.of(env) : root().resolve("../shared").normalize();
        if (!Files.isDirectory(shared)) {
            throw new IllegalStateException("the shared reference directory " + shared + " is missing; set "
                    + "PORTCULLIS_SHARED");
        }
        return shared;
    }
}
