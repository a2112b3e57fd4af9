package io.telemetrysuite.cli;

import io.telemetrysuite.aggregate.AggregateRun;
import io.telemetrysuite.ingest.IngestRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry run <job>}: a job's topology, bounded, from files to files. The outputs are a contract. */
@Command(name = "run", description = "Run a job bounded on files and write its outputs to a folder.",
        subcommands = {RunCommand.Ingest.class, RunCommand.Aggregate.class, RunCepCommand.class, RunTraces.class})
final class RunCommand {

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Parse, validate, redact (and, if configured, sample) OTLP and suite records. "
                    + "Writes spans.jsonl, metrics.jsonl, logs.jsonl, workload.jsonl, system.jsonl, inference.jsonl, "
                    + "dead-letter.jsonl and counters.json.")
    static final class Ingest implements Callable<Integer> {
        @Option(names = "--input", required = true, split = ",",
                description = "A file or folder: *.jsonl/*.json = OTLP JSON lines or suite records, *.pb = one protobuf export request per file.")
        List<Path> inputs;

        @Option(names = "--output", required = true, description = "Folder for the outputs (created if missing).")
        Path output;

        @Option(names = "--config", description = "Ingest config YAML (defaults: see README, Configuration).")
        Path config;

        @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the local run (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> counters = IngestRun.run(inputs, output, config, parallelism);
            System.out.println("ingest: received " + counters.get("received") + ", accepted " + counters.get("accepted")
                    + ", sampled out " + counters.get("sampledOut") + ", dead-lettered " + counters.get("deadLettered"));
            System.out.println("outputs:");
            System.out.print(IngestRun.describeOutputs(output));
            return 0;
        }
    }

    @Command(name = "aggregate", mixinStandardHelpOptions = true,
            description = "Ingest parsing (sampling off unless configured), then windowed aggregates at every resolution. "
                    + "Writes aggregates.jsonl and dead-letter.jsonl (ingest's dead letters and late_event).")
    static final class Aggregate implements Callable<Integer> {
        @Option(names = "--input", required = true, split = ",",
                description = "A file or folder, as for run ingest.")
        List<Path> inputs;

        @Option(names = "--output", required = true, description = "Folder for the outputs (created if missing).")
        Path output;

        @Option(names = "--config", description = "Ingest config YAML, as for run ingest.")
        Path config;

        @Option(names = "--prometheus", description = "Also remote-write every final window to this Prometheus (e.g. http://127.0.0.1:9090/api/v1/write).")
        String prometheus;

        @Option(names = "--archive", description = "Also archive every final window as Parquet under this folder (signal=/date=/hour= partitions).")
        Path archive;

        @Option(names = "--aggregate-config", description = "Aggregate config YAML: resolutions, maxOutOfOrderness, idleness, allowedLateness, kllK.")
        Path aggregateConfig;

        @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the local run (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Override
        public Integer call() throws Exception {
            long late = AggregateRun.run(inputs, output, config, aggregateConfig, parallelism, prometheus, archive);
            System.out.println("aggregate: " + late + " late events dead-lettered");
            System.out.println("outputs:");
            System.out.print(AggregateRun.describeOutputs(output));
            return 0;
        }
    }
}
