package io.telemetrysuite.cli;

import io.telemetrysuite.generator.GenerationStats;
import io.telemetrysuite.generator.GeneratorConfig;
import io.telemetrysuite.generator.SyntheticFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry generate}: the demo's synthetic workload as files that {@code run} reads. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write the synthetic workload as files: OTLP (*.pb or *.jsonl) and suite records (records.jsonl).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "Folder to write into (created if missing).")
    Path output;

    @Option(names = "--seconds", defaultValue = "60", description = "Event-time seconds of workload (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--format", defaultValue = "json", description = "OTLP encoding: json (Collector file exporter) or protobuf (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--traces-per-second", defaultValue = "200", description = "Traces per second before load shape and bursts (default: ${DEFAULT-VALUE}).")
    double tracesPerSecond;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed: the same seed writes the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        GeneratorConfig config = new GeneratorConfig();
        config.seed = seed;
        config.tracesPerSecond = tracesPerSecond;
        SyntheticFiles.OtlpFormat otlp = switch (format) {
            case "json" -> SyntheticFiles.OtlpFormat.JSON;
            case "protobuf", "pb" -> SyntheticFiles.OtlpFormat.PROTOBUF;
            default -> throw new IllegalArgumentException("--format must be json or protobuf, got " + format);
        };
        GenerationStats stats = SyntheticFiles.writeFiles(output, config, seconds * 1000, otlp);
        System.out.println("wrote " + output + ": " + stats);
        return 0;
    }
}
