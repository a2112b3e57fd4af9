package io.telemetrysuite.cli.cluster;

import io.telemetrysuite.cep.rule.RuleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Frozen copies of a rule folder, one per submission of the CEP job, under {@code .telemetry/rules/}.
 * The job on the cluster reads its rules from such a copy, never from {@code cep-rules/} itself: an
 * operator editing {@code cep-rules/} must not change the rules of the running job behind its back (a
 * restart after a failure re-reads {@code --rules}), and {@code rules apply} needs the exact set the job
 * runs to tell what changed.
 */
public final class RuleSnapshots {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path base;

    /** Snapshots under {@code <root>/.telemetry/rules/}. */
    public RuleSnapshots(Path root) {
        this.base = root.resolve(".telemetry").resolve("rules");
    }

    /**
     * Copies the rule files {@link RuleLoader#load} reads from {@code dirOrFile} into a new folder named
     * for the time (UTC), made read-only; returns its absolute path. Other files (a README) are left out.
     */
    public Path snapshot(Path dirOrFile) {
        List<Path> files = RuleLoader.files(dirOrFile);
        try {
            Files.createDirectories(base);
            Path dir = base.resolve(NAME.format(Instant.now()));
            for (int n = 2; Files.exists(dir); n++) dir = base.resolve(NAME.format(Instant.now()) + "-" + n);
            Files.createDirectory(dir);
            for (Path file : files) {
                Path copy = Files.copy(file, dir.resolve(file.getFileName()));
                copy.toFile().setReadOnly();
            }
            return dir.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the rules of " + dirOrFile + " into " + base, e);
        }
    }
}
