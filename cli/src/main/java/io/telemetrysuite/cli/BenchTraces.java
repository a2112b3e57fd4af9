package io.telemetrysuite.cli;

import io.telemetrysuite.cli.bench.TraceBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./telemetry bench traces}: registered in {@link BenchCommand}. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Trace topology (MiniCluster: assembly, critical path, tail sampling) vs. a plain-Java loop doing the same in one thread, "
                + "on the same spans in memory; then the heap for 1,000,000 spans in flight.")
final class BenchTraces implements Callable<Integer> {
    @Option(names = "--spans", defaultValue = "2000000", description = "Spans to pre-generate in memory (default: ${DEFAULT-VALUE}).")
    long spans;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--tail-sampling", defaultValue = "deploy/config/tail-sampling.yaml",
            description = "The tail_sampling config the decisions use (default: ${DEFAULT-VALUE}).")
    Path tailSampling;

    @Override
    public Integer call() throws Exception {
        Path file = tailSampling.isAbsolute() ? tailSampling : Path.of(System.getProperty("telemetry.root", ".")).resolve(tailSampling);
        System.out.println(new TraceBenchmark(spans, parallelism, file).run());
        return 0;
    }
}
