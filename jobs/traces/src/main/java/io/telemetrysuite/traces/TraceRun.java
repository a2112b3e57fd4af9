package io.telemetrysuite.traces;

import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestConfigLoader;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.sink.JsonLinesFileSink;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import io.telemetrysuite.traces.graph.ServiceGraphConfig;
import io.telemetrysuite.traces.graph.ServiceGraphJsonLines;
import io.telemetrysuite.traces.graph.ServiceGraphSinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./telemetry run traces}: ingest parsing (sampling off), then the trace topology, bounded: the
 * end of the input decides every pending trace. File names and fields are a contract:
 *
 * <ul>
 *   <li>{@code traces.jsonl}: one line per assembled trace or late fragment ({@link Trace} without its
 *       spans): {@code traceId}, {@code spanCount}, {@code rootMissing}, {@code durationNanos},
 *       {@code error}, {@code sampled}, {@code policy}, {@code late}, {@code criticalPath}, and more;
 *   <li>{@code service-graph.jsonl}: one line per edge, from the service-graph stage ({@link ServiceGraphSinks}).
 * </ul>
 *
 * <p>Only event time decides here (the processing-time bound is set out of reach), so a run's output
 * depends on its input alone, not on how loaded the machine is.
 */
public final class TraceRun {
    public static final String TRACES = "traces.jsonl";
    public static final String SERVICE_GRAPH = ServiceGraphJsonLines.FILE;

    private TraceRun() {}

    /**
     * @param tailSamplingFile the Collector's tail_sampling YAML; null keeps every trace
     * @param archiveDir also archive kept traces as Parquet there; null for none
     */
    public static void run(List<Path> inputs, Path outputDir, @Nullable Path tailSamplingFile, int parallelism,
                           @Nullable Path archiveDir) throws Exception {
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "input does not exist");
        }
        TraceConfig config = tailSamplingFile == null ? TraceConfig.keepAll() : TraceConfig.of(TailSamplingConfig.load(tailSamplingFile));
        config.processingTimeBound = Duration.ofDays(365);
        IngestConfig ingestConfig = IngestConfigLoader.load(null);
        ingestConfig.sampling.enabled = false;
        IngestPolicies policies = IngestPolicies.load(ingestConfig);
        Files.createDirectories(outputDir);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        IngestStreams ingest = IngestJob.buildTopology(IngestJob.fileSource(env, inputs), ingestConfig, policies);
        TraceStreams traces = TraceJob.buildTopology(ingest.spans(), config.withParallelism(parallelism));
        traces.summaries().sinkTo(new JsonLinesFileSink<>(outputDir.resolve(TRACES)))
                .setParallelism(1).uid("traces-sink-traces").name("Traces sink");
        ServiceGraphSinks.attach(traces.allTraces(), ServiceGraphConfig.defaults(), null, outputDir.resolve(SERVICE_GRAPH));
        if (archiveDir != null) {
            io.telemetrysuite.traces.archive.TraceArchive.attach(traces.keptTraces(), archiveDir);
        }
        env.execute(TraceJob.NAME + " (run)");
    }

    /** Where a run's outputs are, as the CLI shows it. */
    public static String describeOutputs(Path outputDir) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of(TRACES, SERVICE_GRAPH)) {
            Path file = outputDir.resolve(name);
            if (Files.exists(file)) {
                try (var lines = Files.lines(file)) {
                    text.append("  ").append(file).append("  (").append(lines.count()).append(" lines)").append(System.lineSeparator());
                }
            }
        }
        return text.toString();
    }
}
