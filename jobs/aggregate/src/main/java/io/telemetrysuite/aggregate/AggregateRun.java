package io.telemetrysuite.aggregate;

import io.telemetrysuite.aggregate.archive.ParquetArchive;
import io.telemetrysuite.aggregate.forecast.ForecastConfig;
import io.telemetrysuite.aggregate.forecast.LoadForecaster;
import io.telemetrysuite.aggregate.prometheus.AggregateSeries;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestConfigLoader;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.sink.JsonLinesFileSink;
import io.telemetrysuite.model.Aggregate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./telemetry run aggregate}: ingest parsing (sampling off unless the ingest config turns it
 * on) and the aggregate topology, bounded, from files to files. File names and fields are a contract:
 *
 * <ul>
 *   <li>{@code aggregates.jsonl}: one line per resolution, window and key (and one more per update);
 *   <li>{@code dead-letter.jsonl}: ingest's dead letters and the events later than the allowed
 *       lateness (reason {@code late_event}).
 * </ul>
 */
public final class AggregateRun {
    public static final String AGGREGATES = "aggregates.jsonl";
    public static final String DEAD_LETTER = "dead-letter.jsonl";
    /** Load forecasts per service and tenant; empty until the input spans two seasons (2 h at the defaults). */
    public static final String FORECASTS = "forecasts.jsonl";

    private AggregateRun() {}

    /** With the aggregate defaults; {@code configFile} is an ingest config as {@code run ingest} takes. */
    public static long run(List<Path> inputs, Path outputDir, @Nullable Path configFile, int parallelism) throws Exception {
        return run(inputs, outputDir, configFile, null, parallelism);
    }

    /** Runs to the end of the input and returns how many events came too late for any window. */
    public static long run(List<Path> inputs, Path outputDir, @Nullable Path configFile, @Nullable Path aggregateConfigFile,
                           int parallelism) throws Exception {
        return run(inputs, outputDir, configFile, aggregateConfigFile, parallelism, null, null);
    }

    /**
     * As above, and also remote-writes every final window to Prometheus when {@code prometheusRemoteWriteUrl}
     * is set, and archives it as Parquet under {@code archiveDir} when that is set.
     */
    public static long run(List<Path> inputs, Path outputDir, @Nullable Path configFile, @Nullable Path aggregateConfigFile,
                           int parallelism, @Nullable String prometheusRemoteWriteUrl, @Nullable Path archiveDir) throws Exception {
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "input does not exist");
        }
        IngestConfig ingestConfig = IngestConfigLoader.load(configFile == null ? null : configFile.toString());
        IngestPolicies policies = IngestPolicies.load(ingestConfig);
        AggregateConfig config = AggregateConfigLoader.load(aggregateConfigFile);
        Files.createDirectories(outputDir);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        IngestStreams ingest = IngestJob.buildTopology(IngestJob.fileSource(env, inputs), ingestConfig, policies);
        AggregateStreams aggregates = AggregateJob.buildTopology(ingest, config);
        // One file per output, so each sink runs alone.
        aggregates.aggregates().sinkTo(new JsonLinesFileSink<>(outputDir.resolve(AGGREGATES)))
                .setParallelism(1).uid("aggregate-sink-aggregates").name("Aggregates sink");
        DataStream<Aggregate> finalWindows = FinalWindows.of(aggregates.aggregates(), config);
        LoadForecaster.forecasts(finalWindows, new ForecastConfig().validate(config))
                .sinkTo(new JsonLinesFileSink<>(outputDir.resolve(FORECASTS)))
                .setParallelism(1).uid("aggregate-sink-forecasts").name("Forecasts sink");
        if (prometheusRemoteWriteUrl != null) {
            finalWindows.sinkTo(AggregateSeries.sink(prometheusRemoteWriteUrl)).uid("aggregate-sink-prometheus").name("Prometheus sink");
        }
        if (archiveDir != null) {
            finalWindows.sinkTo(ParquetArchive.sink(archiveDir)).uid("aggregate-sink-archive").name("Parquet archive");
        }
        ingest.deadLetters().union(aggregates.lateDeadLetters()).sinkTo(new JsonLinesFileSink<>(outputDir.resolve(DEAD_LETTER)))
                .setParallelism(1).uid("aggregate-sink-dead-letters").name("Dead-letter sink");
        JobExecutionResult result = env.execute(AggregateJob.NAME + " (run)");
        Object late = result.getAllAccumulatorResults().get(LateEventDeadLetters.LATE_EVENTS);
        return late == null ? 0L : ((Number) late).longValue();
    }

    /** Where a run's outputs are, as the CLI shows it. */
    public static String describeOutputs(Path outputDir) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of(AGGREGATES, FORECASTS, DEAD_LETTER)) {
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
