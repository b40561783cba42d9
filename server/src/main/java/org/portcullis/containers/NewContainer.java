package org.portcullis.containers;

import java.util.List;

/**
 * A validated request to create a container. Secret ids are taken from the refs as Barbican
 * does (last path segment) and are not yet known to exist.
 */
record NewContainer(String name, ContainerType type, List<ContainerSecret> secrets) {
    NewContainer {
        secrets = List.copyOf(secrets);
    }
}
