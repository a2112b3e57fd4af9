package io.telemetrysuite.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule snapshots pile up with every CEP submission: pruning keeps those running jobs name and the newest few, nothing else. */
class RuleSnapshotsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T19:00:00Z");

    @TempDir Path root;
    private Path rules;

    @BeforeEach
    void rules() throws Exception {
        rules = Files.createDirectories(root.resolve("cep-rules"));
        Files.writeString(rules.resolve("hosts.yaml"), "rules: []\n");
        Files.writeString(rules.resolve("README.md"), "not a rule file\n");
    }

    private Path snapshotAt(Instant time) {
        return new RuleSnapshots(root, Clock.fixed(time, ZoneOffset.UTC)).snapshot(rules);
    }

    @Test
    void pruneDeletesAllButTheNewestAndThoseInUseAndLeavesForeignFilesAlone() throws Exception {
        List<Path> snapshots = new ArrayList<>();
        // Out of time order on purpose: age is read from the name, not from the order of creation or the file times.
        for (int minute : new int[] {3, 0, 7, 1, 5, 2, 6, 4}) snapshots.add(snapshotAt(T0.plusSeconds(60L * minute)));
        Path base = root.resolve(".telemetry/rules");
        Files.createDirectory(base.resolve("notes"));
        Files.writeString(base.resolve("20261123-190000-000.txt"), "a file named like a snapshot\n");
        Path minute1 = snapshots.get(3);
        assertThat(minute1.getFileName().toString()).isEqualTo("20261123-190100-000");

        List<Path> deleted = new RuleSnapshots(root).prune(List.of(minute1, root.resolve("cep-rules")), 3);

        assertThat(deleted).extracting(p -> p.getFileName().toString())
                .containsExactly("20261123-190000-000", "20261123-190200-000", "20261123-190300-000", "20261123-190400-000");
        assertThat(new RuleSnapshots(root).list()).extracting(p -> p.getFileName().toString())
                .containsExactly("20261123-190100-000", "20261123-190500-000", "20261123-190600-000", "20261123-190700-000");
        assertThat(deleted).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(base.resolve("notes")).isDirectory();
        assertThat(base.resolve("20261123-190000-000.txt")).isRegularFile();
        // A kept snapshot is whole, still read-only, and still without the README.
        try (var files = Files.list(minute1)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("hosts.yaml");
        }
        // Permission bits, not Files.isWritable: root may write anything.
        assertThat(Files.getPosixFilePermissions(minute1.resolve("hosts.yaml"))).doesNotContain(PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void snapshotsOfOneMillisecondAreOrderedByTheirCounterNotAsText() {
        List<Path> snapshots = new ArrayList<>();
        for (int i = 0; i < 11; i++) snapshots.add(snapshotAt(T0));
        assertThat(snapshots.get(0).getFileName().toString()).isEqualTo("20261123-190000-000");
        assertThat(snapshots.get(10).getFileName().toString()).isEqualTo("20261123-190000-000-11");
        assertThat(new RuleSnapshots(root).list()).isEqualTo(snapshots);

        List<Path> deleted = new RuleSnapshots(root).prune(Set.of(), 2);

        assertThat(deleted).isEqualTo(snapshots.subList(0, 9));
        assertThat(new RuleSnapshots(root).list()).extracting(p -> p.getFileName().toString())
                .containsExactly("20261123-190000-000-10", "20261123-190000-000-11");
    }

    @Test
    void pruneWithoutAnySnapshotDoesNothing() {
        assertThat(new RuleSnapshots(root).prune(List.of(), RuleSnapshots.KEEP_NEWEST)).isEmpty();
        assertThat(root.resolve(".telemetry")).doesNotExist();
    }
}
