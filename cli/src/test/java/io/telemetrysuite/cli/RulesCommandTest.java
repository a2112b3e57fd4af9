package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.RepoLayout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./telemetry rules validate} as a user meets it: exit codes and exactly what it prints. */
class RulesCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = TelemetryCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validRulesExitZeroCountingRulesAndFiles() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
                rules:
                  - {id: a1, kind: count, severity: info, match: {signal: log}, count: 2, within: 1s}
                  - {id: a2, kind: count, severity: info, match: {signal: log}, count: 3, within: 1s}
                """);
        Files.writeString(dir.resolve("b.yaml"), "rules:\n  - {id: b1, kind: count, severity: info, match: {signal: log}, count: 1, within: 1s}\n");
        assertThat(run("rules", "validate", dir.toString())).isZero();
        assertThat(out.toString()).isEqualTo("3 rules in 2 files: ok\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void everyProblemOfEveryFileIsPrintedWithItsPositionAndTheExitIsTwo() throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), """
                rules:
                  - id: cpu
                    kind: threshold
                    severity: info
                    match: {signal: system}
                    condition: {field: cpu, op: ">", value: 90}
                """);
        Path b = Files.writeString(dir.resolve("b.yaml"), """
                rules:
                  - id: cpu
                    kind: count
                    severity: urgent
                    match: {signal: log}
                    count: 0
                    within: 1m
                """);
        assertThat(run("rules", "validate", dir.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo(a + ":6:24: rules[0].condition.field: unknown field \"cpu\" for signal system; its fields: "
                + "host, cpuPercent, memoryUsedBytes, memoryTotalBytes, memoryPercent, cacheMisses, diskReadBytesPerSec, "
                + "diskWriteBytesPerSec, networkRxBytesPerSec, networkTxBytesPerSec, queueDepth\n"
                + b + ":2:9: rules[0].id: duplicate id \"cpu\" (first defined at " + a + ":2:9, rules[0].id); ids are unique across all rule files\n"
                + b + ":4:15: rules[0].severity: expected one of info, warning, critical, got \"urgent\"\n"
                + b + ":6:12: rules[0].count: expected a positive integer up to 2147483647, got 0 (a count rule fires on at least this many events, so 1 or more)\n"
                + "4 problems in 2 files\n");
    }

    @Test
    void applyRefusesAnInvalidSetBeforeAskingTheCluster() throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), "rules:\n  - {id: a1, kind: count, severity: info, match: {signal: log}, count: 0, within: 1s}\n");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // No cluster answers there: had apply asked it anything, the error would say so instead.
        assertThat(run("rules", "apply", dir.toString(), "--rest", "http://127.0.0.1:" + closedPort)).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo(a + ":2:72: rules[0].count: expected a positive integer up to 2147483647, got 0"
                + " (a count rule fires on at least this many events, so 1 or more)\n"
                + "1 problem in 1 file\n"
                + "Nothing applied: the running telemetry-cep job is not touched.\n");
    }

    @Test
    void aMissingFolderExitsTwoNamingIt() {
        assertThat(run("rules", "validate", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(dir.resolve("nope") + ": no such file or folder\n1 problem in 1 file\n");
    }

    @Test
    void withoutAFolderItValidatesTheShippedRules() throws Exception {
        int files = (int) Files.list(RepoLayout.root().resolve("cep-rules")).filter(p -> p.toString().endsWith(".yaml")).count();
        assertThat(run("rules", "validate")).as(err.toString()).isZero();
        assertThat(out.toString()).matches("\\d+ rules? in " + files + " files?: ok\n");
    }
}
