package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./telemetry run ingest} as a user meets it: exit codes and the one line that says what is wrong. */
class RunCommandTest {
    @TempDir Path dir;

    @Test
    void aMissingInputExitsTwoNamingThePath() {
        Result result = run("run", "ingest", "--input", dir.resolve("missing.jsonl").toString(), "--output", dir.resolve("out").toString());
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).isEqualTo("telemetry: no such file or folder: " + dir.resolve("missing.jsonl") + "\n");
    }

    @Test
    void aBadConfigExitsTwoWithFileLineColumnAndField() throws Exception {
        Path config = dir.resolve("ingest.yaml");
        Files.writeString(config, "sampling:\n  enabled: yes\n");
        Files.writeString(dir.resolve("empty.jsonl"), "");
        Result result = run("run", "ingest", "--input", dir.resolve("empty.jsonl").toString(), "--output", dir.resolve("out").toString(),
                "--config", config.toString());
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).startsWith("telemetry: " + config + ":2:12: sampling.enabled: expected true or false");
    }

    @Test
    void aGoodRunExitsZeroAndSaysWhereItsOutputsAre() throws Exception {
        Files.writeString(dir.resolve("records.jsonl"), "{\"signal\":\"workload\",\"timestampMillis\":" + System.currentTimeMillis()
                + ",\"tenant\":\"acme\",\"requestId\":\"r1\"}\n{oops\n");
        CommandLine cli = TelemetryCli.commandLine();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true));
        int exit;
        try {
            exit = cli.execute("run", "ingest", "--input", dir.resolve("records.jsonl").toString(), "--output", dir.resolve("out").toString(),
                    "--parallelism", "1");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(printed.toString()).contains("ingest: received 2, accepted 1, sampled out 0, dead-lettered 1")
                .contains(dir.resolve("out").resolve("workload.jsonl") + "  (1 lines)")
                .contains(dir.resolve("out").resolve("dead-letter.jsonl") + "  (1 lines)");
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = TelemetryCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, err.toString());
    }

    private record Result(int exitCode, String err) {}
}
