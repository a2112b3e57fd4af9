package io.telemetrysuite.cli.cluster;

import io.telemetrysuite.cep.rule.RuleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Frozen copies of a rule folder, one per submission of the CEP job, under {@code .telemetry/rules/}.
 * The job on the cluster reads its rules from such a copy, never from {@code cep-rules/} itself: an
 * operator editing {@code cep-rules/} must not change the rules of the running job behind its back (a
 * restart after a failure re-reads {@code --rules}), and {@code rules apply} needs the exact set the job
 * runs to tell what changed. {@link #prune} keeps the folder from growing with every submission.
 */
public final class RuleSnapshots {
    /**
     * Snapshots {@link #prune} keeps besides those in use: a stopped job is resumed from its savepoint with the
     * arguments it ran with (`rules apply` prints that command when a resubmission fails), and those name
     * its snapshot, so the last few submissions' rules stay for a while after their job is gone.
     */
    public static final int KEEP_NEWEST = 5;

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    /** What {@link #snapshot} names a folder: the time, and a counter when two land in one millisecond. */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("(\\d{8}-\\d{6}-\\d{3})(?:-(\\d+))?");

    private final Path base;
    private final Clock clock;

    /** Snapshots under {@code <root>/.telemetry/rules/}. */
    public RuleSnapshots(Path root) {
        this(root, Clock.systemUTC());
    }

    /** With the clock that names the snapshots: tests give one that does not move. */
    RuleSnapshots(Path root, Clock clock) {
        this.base = root.resolve(".telemetry").resolve("rules");
        this.clock = clock;
    }

    /**
     * Copies the rule files {@link RuleLoader#load} reads from {@code dirOrFile} into a new folder named
     * for the time (UTC), made read-only; returns its absolute path. Other files (a README) are left out.
     */
    public Path snapshot(Path dirOrFile) {
        List<Path> files = RuleLoader.files(dirOrFile);
        try {
            Files.createDirectories(base);
            String name = NAME.format(clock.instant());
            Path dir = base.resolve(name);
            for (int n = 2; Files.exists(dir); n++) dir = base.resolve(name + "-" + n);
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

    /** Every snapshot folder, oldest first; anything else under {@code .telemetry/rules/} is not ours and not listed. */
    public List<Path> list() {
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> children = Files.list(base)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> SNAPSHOT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(RuleSnapshots::createdAt).thenComparingInt(RuleSnapshots::counter))
                    .map(p -> p.toAbsolutePath().normalize())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the rule snapshots in " + base, e);
        }
    }

    /**
     * Deletes every snapshot except the newest {@code keepNewest} and those in {@code inUse} (the
     * {@code --rules} of running jobs: a restart after a failure reads them again). Paths that are no
     * snapshot are ignored. Returns the deleted folders, oldest first.
     */
    public List<Path> prune(Collection<Path> inUse, int keepNewest) {
        if (keepNewest < 0) throw new IllegalArgumentException("keepNewest must be >= 0, was " + keepNewest);
        Set<Path> kept = inUse.stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
        List<Path> all = list();
        List<Path> deleted = new ArrayList<>();
        for (Path snapshot : all.subList(0, Math.max(0, all.size() - keepNewest))) {
            if (kept.contains(snapshot)) continue;
            delete(snapshot);
            deleted.add(snapshot);
        }
        return deleted;
    }

    private static void delete(Path snapshot) {
        try (Stream<Path> files = Files.list(snapshot)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // The copies are read-only so nobody edits a running job's rules; that is no reason to keep them.
                file.toFile().setWritable(true);
                Files.delete(file);
            }
            Files.delete(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the rule snapshot " + snapshot, e);
        }
    }

    private static String createdAt(Path snapshot) {
        return matcher(snapshot).group(1);
    }

    /** 1 for the first snapshot of a millisecond, then 2, 3, ...: "-10" must sort after "-9". */
    private static int counter(Path snapshot) {
        String n = matcher(snapshot).group(2);
        return n == null ? 1 : Integer.parseInt(n);
    }

    private static Matcher matcher(Path snapshot) {
        Matcher m = SNAPSHOT_NAME.matcher(snapshot.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException("not a rule snapshot: " + snapshot);
        return m;
    }
}
