package io.telemetrysuite.cli;

import io.telemetrysuite.cli.bench.CepBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry bench cep}. */
@Command(name = "cep", mixinStandardHelpOptions = true,
        description = "20 CEP rules (four of each kind) over 10,000 keys in a MiniCluster vs. a plain-Java loop over the same rules and events; "
                + "alert delay after the watermark passes (p50/p99).")
final class BenchCepCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "2000000", description = "Workload records to pre-generate in memory (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        System.out.println(new CepBenchmark(events, parallelism).run());
        return 0;
    }
}
