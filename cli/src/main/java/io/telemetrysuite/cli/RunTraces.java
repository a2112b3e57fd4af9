package io.telemetrysuite.cli;

import io.telemetrysuite.traces.TraceRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry run traces}: registered in {@link RunCommand}. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Ingest parsing (sampling off), then trace assembly, tail sampling and critical paths, bounded: the end of input "
                + "decides every pending trace. Writes traces.jsonl (one line per trace or late fragment) and, once the service graph is merged, "
                + "service-graph.jsonl.")
final class RunTraces implements Callable<Integer> {
    @Option(names = "--input", required = true, split = ",", description = "A file or folder, as for run ingest.")
    List<Path> inputs;

    @Option(names = "--output", required = true, description = "Folder for the outputs (created if missing).")
    Path output;

    @Option(names = "--tail-sampling", description = "The OpenTelemetry Collector's tail_sampling YAML, unchanged. Without it every trace is kept.")
    Path tailSampling;

    @Option(names = "--archive", description = "Also archive kept traces as Parquet under this folder (one row per span, date=/hour= partitions).")
    Path archive;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the local run (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        TraceRun.run(inputs, output, tailSampling, parallelism, archive);
        System.out.println("outputs:");
        System.out.print(TraceRun.describeOutputs(output));
        return 0;
    }
}
