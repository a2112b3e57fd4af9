package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./telemetry archive prune} as a user meets it. */
class ArchiveCommandTest {
    @TempDir Path dir;

    @Test
    void aBadDurationExitsTwoSayingWhatIsExpected() {
        StringWriter err = new StringWriter();
        CommandLine cli = TelemetryCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("archive", "prune", "--older-than", "30x", "--dir", dir.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("telemetry: --older-than: expected a duration such as 30d, 12h, 90m, 45s or 500ms, got '30x'\n");
    }

    @Test
    void prunesExpiredPartitionsAndSaysWhat() throws Exception {
        Path old = Files.createDirectories(dir.resolve("signal=span/date=2020-01-01/hour=03"));
        Files.writeString(old.resolve("part-a-0-0.parquet"), "x");
        CommandLine cli = TelemetryCli.commandLine();
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        int exit;
        try {
            exit = cli.execute("archive", "prune", "--older-than", "30d", "--dir", dir.toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(old).doesNotExist();
        assertThat(printed.toString()).contains("removed " + old + "  (expired")
                .contains("archive " + dir + ": removed 2, kept 0");
    }
}
