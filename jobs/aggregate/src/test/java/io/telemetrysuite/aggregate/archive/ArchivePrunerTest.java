package io.telemetrysuite.aggregate.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivePrunerTest {
    @TempDir Path dir;

    /** 30 days after 2026-10-23T12:00Z: hours ending at or before 2026-10-23T12:00Z have expired. */
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    private Path partition(String signal, String date, String hour, String... files) throws Exception {
        Path p = Files.createDirectories(dir.resolve("signal=" + signal).resolve("date=" + date).resolve("hour=" + hour));
        for (String f : files) Files.writeString(p.resolve(f), "x");
        return p;
    }

    @Test
    void removesExpiredPartitionsAndTheirEmptyDateFoldersKeepsRecentAndInProgressOnes() throws Exception {
        Path old1 = partition("span", "2026-10-01", "00", "part-a-0-0.parquet");
        Path old2 = partition("span", "2026-10-01", "23", "part-a-0-1.parquet", "part-a-1-0.parquet");
        Path boundary = partition("system", "2026-10-23", "11", "part-b-0-0.parquet"); // ends 12:00 = cutoff: expired
        Path justRecent = partition("system", "2026-10-23", "12", "part-b-0-1.parquet"); // ends 13:00: kept
        Path recent = partition("span", "2026-11-22", "09", "part-c-0-0.parquet");
        Path inProgress = partition("span", "2026-09-30", "05", "part-d-0-0.parquet", ".part-d-1-0.parquet.inprogress.1234");
        Files.createDirectories(dir.resolve("signal=span").resolve("not-a-date"));
        Files.writeString(dir.resolve("README"), "loose file");

        ArchivePruner.Report report = ArchivePruner.prune(dir, THIRTY_DAYS, NOW);

        assertThat(report.cutoff()).isEqualTo(Instant.parse("2026-10-23T12:00:00Z"));
        assertThat(report.removed()).containsExactly(old1, old2, old1.getParent(), boundary);
        assertThat(report.kept()).extracting(ArchivePruner.Decision::path)
                .containsExactlyInAnyOrder(inProgress, recent, justRecent, dir.resolve("signal=span").resolve("not-a-date"));
        assertThat(report.kept()).filteredOn(d -> d.path().equals(inProgress)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("in-progress").contains(".part-d-1-0.parquet.inprogress.1234"));
        assertThat(report.kept()).filteredOn(d -> d.path().equals(recent)).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("recent"));

        assertThat(old1.getParent()).doesNotExist();
        assertThat(boundary).doesNotExist();
        assertThat(boundary.getParent()).exists(); // its day has not wholly expired, and it still holds hour=12
        assertThat(inProgress.resolve(".part-d-1-0.parquet.inprogress.1234")).exists();
        assertThat(inProgress.resolve("part-d-0-0.parquet")).exists();
        assertThat(recent.resolve("part-c-0-0.parquet")).exists();
        assertThat(justRecent).exists();
        assertThat(dir.resolve("README")).exists();

        // Idempotent: a second run removes nothing more.
        assertThat(ArchivePruner.prune(dir, THIRTY_DAYS, NOW).removed()).isEmpty();
    }

    @Test
    void anExpiredDayWhosePartitionsAllGoIsRemovedButItsSignalFolderStays() throws Exception {
        partition("system", "2026-10-23", "11", "part-b-0-0.parquet");
        ArchivePruner.Report report = ArchivePruner.prune(dir, Duration.ofHours(1), Instant.parse("2026-10-24T01:00:00Z"));
        assertThat(report.removed()).containsExactly(dir.resolve("signal=system/date=2026-10-23/hour=11"),
                dir.resolve("signal=system/date=2026-10-23"));
        assertThat(dir.resolve("signal=system")).isEmptyDirectory();
    }

    @Test
    void aMissingArchiveIsEmpty() throws Exception {
        assertThat(ArchivePruner.prune(dir.resolve("none"), THIRTY_DAYS, NOW).decisions()).isEmpty();
    }

    @Test
    void parsesDurations() {
        assertThat(ArchivePruner.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(ArchivePruner.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ArchivePruner.parseDuration("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ArchivePruner.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(ArchivePruner.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> ArchivePruner.parseDuration("30")).hasMessage("expected a duration such as 30d, 12h, 90m, 45s or 500ms, got '30'");
        assertThatThrownBy(() -> ArchivePruner.parseDuration("-1d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchivePruner.parseDuration("1w")).isInstanceOf(IllegalArgumentException.class);
    }
}
