package io.telemetrysuite.cli;

import io.telemetrysuite.cli.bench.AggregateBenchmark;
import io.telemetrysuite.cli.bench.IngestBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry bench <job>}: a job beside its baseline in the same process; the last line is the figure. */
@Command(name = "bench", description = "Measure a job beside a baseline in the same process (see docs/benchmarks.md).",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Aggregate.class, BenchCepCommand.class, BenchTraces.class})
final class BenchCommand {

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Ingest topology (MiniCluster) vs. a plain-Java loop doing the same parse/validate/redact/sample work.")
    static final class Ingest implements Callable<Integer> {
        @Option(names = "--spans", defaultValue = "2000000", description = "Spans to generate (default: ${DEFAULT-VALUE}).")
        long spans;

        @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism and baseline threads (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--sampling", defaultValue = "on", description = "on|off: off drops the keyBy(traceId) shuffle (default: ${DEFAULT-VALUE}).")
        String sampling;

        @Option(names = "--no-kafka", description = "Skip the second figure, through a real Kafka broker exactly once.")
        boolean noKafka;

        @Override
        public Integer call() throws Exception {
            System.out.println(new IngestBenchmark(spans, parallelism, !noKafka, !"off".equals(sampling)).run());
            return 0;
        }
    }

    @Command(name = "aggregate", mixinStandardHelpOptions = true,
            description = "Aggregate topology (MiniCluster) vs. the same windows as Flink SQL windowing TVFs, on the same spans in memory.")
    static final class Aggregate implements Callable<Integer> {
        @Option(names = "--events", defaultValue = "2000000", description = "Spans to pre-generate in memory (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of both jobs (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Override
        public Integer call() throws Exception {
            System.out.println(new AggregateBenchmark(events, parallelism).run());
            return 0;
        }
    }
}
