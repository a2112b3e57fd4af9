package io.telemetrysuite.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian prometheus package's {@code promtool} (the same release as the server the tests
 * start), so rule files are checked by Prometheus' own parser and rule evaluator.
 */
final class Promtool {
    static final Path BINARY = Path.of(System.getProperty("telemetry.promtool.binary", "/usr/bin/promtool"));

    /** Exit code and everything promtool printed (stdout and stderr together). */
    record Result(int exitCode, String output) {}

    private Promtool() {}

    static Result run(Path workingDir, String... args) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install the prometheus package (deploy/install-prerequisites.sh)");
        }
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
