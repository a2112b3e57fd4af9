package io.telemetrysuite.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jobs {@code ./telemetry submit} knows, by short name: each one's module, entry class, fat jar
 * ({@code <module>/target/*-job.jar}, built by the shade execution in the parent pom) and the name
 * it runs under on the cluster, by which later commands find it.
 */
public enum ClusterJob {
    INGEST("ingest", "jobs/ingest", "io.telemetrysuite.ingest.IngestJob", "telemetry-ingest"),
    AGGREGATE("aggregate", "jobs/aggregate", "io.telemetrysuite.aggregate.AggregateJob", "telemetry-aggregate"),
    CEP("cep", "jobs/cep", "io.telemetrysuite.cep.CepJob", "telemetry-cep"),
    TRACES("traces", "jobs/traces", "io.telemetrysuite.traces.TraceJob", "telemetry-traces");

    public final String shortName;
    public final String module;
    public final String entryClass;
    /** The name the job's {@code main} passes to {@code execute}. */
    public final String flinkName;

    ClusterJob(String shortName, String module, String entryClass, String flinkName) {
        this.shortName = shortName;
        this.module = module;
        this.entryClass = entryClass;
        this.flinkName = flinkName;
    }

    /** The job of this short name; the error lists the known ones. */
    public static ClusterJob of(String shortName) {
        return Arrays.stream(values()).filter(j -> j.shortName.equals(shortName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown job '" + shortName + "'; known: "
                        + Arrays.stream(values()).map(j -> j.shortName).collect(Collectors.joining(", "))));
    }

    /** The built fat jar, if there is one. */
    public Optional<Path> jar(Path root) {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) return Optional.empty();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-job.jar")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + target, e);
        }
    }

    /**
     * The fat jar, built first with Maven if it is missing or older than any main source, resource
     * or pom of the repository (a job's jar holds common/ and other modules' code too).
     */
    public Path freshJar(Path root) {
        Optional<Path> jar = jar(root);
        if (jar.isPresent() && !isStale(root, jar.get())) return jar.get();
        List<String> command = List.of("mvn", "-B", "-q", "-o", "-DskipTests", "-pl", module, "-am", "package");
        System.err.println("telemetry: building the " + shortName + " job jar (" + String.join(" ", command) + ") ...");
        try {
            Process mvn = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
            if (!mvn.waitFor(20, TimeUnit.MINUTES) || mvn.exitValue() != 0) {
                mvn.destroyForcibly();
                throw new IllegalStateException("Building the " + shortName + " job jar failed: `" + String.join(" ", command) + "` in " + root);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run Maven to build the " + shortName + " job jar: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building the " + shortName + " job jar", e);
        }
        return jar(root).orElseThrow(() -> new IllegalStateException("Maven built " + module + " but left no *-job.jar in "
                + root.resolve(module).resolve("target") + ": does its pom declare the maven-shade-plugin?"));
    }

    /**
     * Whether a pom, or a main source or resource of the modules a job jar can hold (everything under
     * {@code common/}, {@code jobs/}, {@code platform/}; not the CLI), is newer than the jar.
     */
    private static boolean isStale(Path root, Path jar) {
        try {
            FileTime built = Files.getLastModifiedTime(jar);
            if (Files.getLastModifiedTime(root.resolve("pom.xml")).compareTo(built) > 0) return true;
            for (String dir : List.of("common", "jobs", "platform")) {
                if (!Files.isDirectory(root.resolve(dir))) continue;
                try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                    boolean newer = files
                            .filter(f -> !f.toString().contains("/target/"))
                            .filter(f -> f.getFileName().toString().equals("pom.xml") || f.toString().contains("/src/main/"))
                            .filter(Files::isRegularFile)
                            .anyMatch(f -> {
                                try {
                                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                                } catch (IOException e) {
                                    return true;
                                }
                            });
                    if (newer) return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
