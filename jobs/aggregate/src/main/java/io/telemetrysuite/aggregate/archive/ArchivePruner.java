package io.telemetrysuite.aggregate.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes expired hour partitions from the {@link ParquetArchive}: a folder
 * {@code signal=*}{@code /date=yyyy-MM-dd/hour=HH} whose hour ended at or before {@code now - olderThan}
 * goes as a whole, unless it still holds a hidden file (FileSink's in-progress and pending part files
 * are named {@code .part-…}): those belong to a checkpoint that has not completed, and the sink would
 * fail to commit them. Date folders left empty are removed too, once their whole day has expired.
 * Anything else under the archive (unknown folders, loose files) is left alone and reported.
 *
 * <p>Run it while the job runs: the sink only writes into an old partition for late data, and then its
 * in-progress file keeps the partition.
 */
public final class ArchivePruner {
    private static final Pattern SIGNAL = Pattern.compile("signal=[^/]+");
    private static final Pattern DATE = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern HOUR = Pattern.compile("hour=(\\d{2})");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");

    private ArchivePruner() {}

    /** What happened to one folder, with the reason; paths are absolute. */
    public record Decision(Path path, boolean removed, String reason) {
        @Override
        public String toString() {
            return (removed ? "removed " : "kept    ") + path + "  (" + reason + ")";
        }
    }

    /** Every decision, in path order: hour partitions and the date folders removed after them. */
    public record Report(Path baseDir, Instant cutoff, List<Decision> decisions) {
        public List<Path> removed() {
            return decisions.stream().filter(Decision::removed).map(Decision::path).toList();
        }

        public List<Decision> kept() {
            return decisions.stream().filter(d -> !d.removed()).toList();
        }
    }

    /**
     * Removes the hour partitions under {@code baseDir} that ended at or before {@code now - olderThan}
     * and hold no in-progress or pending file, then the date folders that are empty and wholly expired.
     * A missing {@code baseDir} is an empty archive.
     */
    public static Report prune(Path baseDir, Duration olderThan, Instant now) throws IOException {
        if (olderThan.isNegative()) throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        Instant cutoff = now.minus(olderThan);
        List<Decision> decisions = new ArrayList<>();
        if (!Files.isDirectory(baseDir)) return new Report(baseDir, cutoff, decisions);
        for (Path signal : children(baseDir)) {
            if (!Files.isDirectory(signal) || !SIGNAL.matcher(name(signal)).matches()) continue;
            for (Path date : children(signal)) {
                Matcher dateName = DATE.matcher(name(date));
                Optional<LocalDate> day = dateName.matches() ? parseDate(dateName.group(1)) : Optional.empty();
                if (!Files.isDirectory(date) || day.isEmpty()) {
                    decisions.add(new Decision(date, false, "not a date=yyyy-MM-dd folder"));
                    continue;
                }
                for (Path hour : children(date)) {
                    decisions.add(decideHour(hour, day.get(), cutoff));
                }
                Instant dayEnd = day.get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                if (!dayEnd.isAfter(cutoff) && children(date).isEmpty()) {
                    Files.delete(date);
                    decisions.add(new Decision(date, true, "date folder empty and expired"));
                }
            }
        }
        return new Report(baseDir, cutoff, decisions);
    }

    private static Decision decideHour(Path hour, LocalDate day, Instant cutoff) throws IOException {
        Matcher hourName = HOUR.matcher(name(hour));
        int h = hourName.matches() ? Integer.parseInt(hourName.group(1)) : -1;
        if (!Files.isDirectory(hour) || h < 0 || h > 23) return new Decision(hour, false, "not an hour=HH folder");
        Instant end = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(h + 1L));
        if (end.isAfter(cutoff)) return new Decision(hour, false, "recent: ends " + end + ", after the cutoff " + cutoff);
        Optional<Path> hidden = firstHiddenFile(hour);
        if (hidden.isPresent()) {
            return new Decision(hour, false, "expired but holds an in-progress or pending file: " + name(hidden.get()));
        }
        deleteTree(hour);
        return new Decision(hour, true, "expired: ended " + end + ", at or before the cutoff " + cutoff);
    }

    /**
     * {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 500ms}: a whole number and a unit.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static Duration parseDuration(String text) {
        Matcher m = text == null ? null : DURATION.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 30d, 12h, 90m, 45s or 500ms, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Optional<LocalDate> parseDate(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> firstHiddenFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir) && name(p).startsWith(".")).sorted().findFirst();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
