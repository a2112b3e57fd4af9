package io.telemetrysuite.cli;

import io.telemetrysuite.aggregate.archive.ArchivePruner;
import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry archive prune}: the Parquet archive of aggregates. */
@Command(name = "archive", description = "Maintain the Parquet archive of aggregates (default .telemetry/archive).",
        subcommands = {ArchiveCommand.Prune.class})
final class ArchiveCommand {
    /** Where the archive is unless --dir says otherwise, relative to the repository root. */
    static final String DEFAULT_DIR = ".telemetry/archive";

    @Command(name = "prune", description = "Remove hour partitions older than --older-than; partitions with in-progress files stay.")
    static final class Prune implements Callable<Integer> {
        @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "e.g. 30d, 12h, 90m: a partition goes once its hour ended this long ago")
        String olderThan;

        @Option(names = "--dir", paramLabel = "DIR", description = "the archive folder (default: " + DEFAULT_DIR + " under the repository root)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Duration age;
            try {
                age = ArchivePruner.parseDuration(olderThan);
            } catch (IllegalArgumentException e) {
                // No cause: the CLI reports the innermost message, and this one names the option.
                throw new IllegalArgumentException("--older-than: " + e.getMessage());
            }
            Path base = dir != null ? dir : RepoLayout.root().resolve(DEFAULT_DIR);
            ArchivePruner.Report report = ArchivePruner.prune(base, age, Instant.now());
            report.decisions().forEach(System.out::println);
            System.out.println("archive " + base + ": removed " + report.removed().size() + ", kept " + report.kept().size()
                    + " (cutoff " + report.cutoff() + ")");
            return 0;
        }
    }
}
