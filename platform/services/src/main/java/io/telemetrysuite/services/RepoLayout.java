package io.telemetrysuite.services;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the telemetry-suite checkout on disk, so that services started from a test (working
 * directory: the module) or from the CLI (working directory: anywhere inside the checkout) agree on
 * where the broker jars and the local state live.
 */
public final class RepoLayout {
    private RepoLayout() {}

    /**
     * The repository root above {@code user.dir}.
     *
     * @throws IllegalStateException if no directory above {@code user.dir} holds both {@code pom.xml}
     *     and {@code platform/}
     */
    public static Path root() {
        return root(Path.of(System.getProperty("user.dir")));
    }

    /**
     * The repository root at or above {@code start}: the first directory holding both {@code pom.xml}
     * and {@code platform/}. Module directories hold a {@code pom.xml} too, which is why
     * {@code platform/} is required as well.
     *
     * @throws IllegalStateException if there is none
     */
    public static Path root(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("platform"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Not inside a telemetry-suite checkout: no directory at or above " + start
                + " contains both pom.xml and platform/. Run from the repository, or set the paths explicitly.");
    }
}
