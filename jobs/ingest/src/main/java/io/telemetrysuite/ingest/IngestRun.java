package io.telemetrysuite.ingest;

import io.telemetrysuite.ingest.sink.JsonLinesFileSink;
import io.telemetrysuite.json.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./telemetry run ingest}: the ingest topology, bounded, from files to files. The output file
 * names and their fields are a contract other tools read: add fields, never rename or drop one.
 *
 * <ul>
 *   <li>{@code spans.jsonl}, {@code metrics.jsonl}, {@code logs.jsonl}, {@code workload.jsonl},
 *       {@code system.jsonl}, {@code inference.jsonl}: accepted events, one JSON object per line;
 *   <li>{@code dead-letter.jsonl}: rejected input with {@code reason}, {@code message}, {@code source};
 *   <li>{@code counters.json}: {@code received = accepted + sampledOut + deadLettered}, and the
 *       break-down by reason and by convention rule.
 * </ul>
 */
public final class IngestRun {
    public static final String SPANS = "spans.jsonl";
    public static final String METRICS = "metrics.jsonl";
    public static final String LOGS = "logs.jsonl";
    public static final String WORKLOAD = "workload.jsonl";
    public static final String SYSTEM = "system.jsonl";
    public static final String INFERENCE = "inference.jsonl";
    public static final String DEAD_LETTER = "dead-letter.jsonl";
    public static final String COUNTERS = "counters.json";

    private IngestRun() {}

    /** Runs to the end of the input; throws with a clear message on a missing input or a bad config. */
    public static Map<String, Object> run(List<Path> inputs, Path outputDir, @Nullable Path configFile, int parallelism) throws Exception {
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "input does not exist");
        }
        IngestConfig config = IngestConfigLoader.load(configFile == null ? null : configFile.toString());
        IngestPolicies policies = IngestPolicies.load(config);
        Files.createDirectories(outputDir);

        Configuration conf = IngestJob.baseConfiguration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        IngestStreams streams = IngestJob.buildTopology(IngestJob.fileSource(env, inputs), config, policies);
        IngestJob.attachSinks(streams, fileSinks(outputDir), 1);
        JobExecutionResult result = env.execute(IngestJob.NAME + " (run)");

        Map<String, Object> counters = counters(result.getAllAccumulatorResults());
        Files.writeString(outputDir.resolve(COUNTERS), EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(counters) + "\n");
        return counters;
    }

    public static IngestSinks fileSinks(Path dir) {
        return new IngestSinks(
                new JsonLinesFileSink<>(dir.resolve(SPANS)),
                new JsonLinesFileSink<>(dir.resolve(METRICS)),
                new JsonLinesFileSink<>(dir.resolve(LOGS)),
                new JsonLinesFileSink<>(dir.resolve(WORKLOAD)),
                new JsonLinesFileSink<>(dir.resolve(SYSTEM)),
                new JsonLinesFileSink<>(dir.resolve(INFERENCE)),
                new JsonLinesFileSink<>(dir.resolve(DEAD_LETTER)));
    }

    /** The job's accumulators as counters.json lays them out. */
    static Map<String, Object> counters(Map<String, Object> accumulators) {
        Map<String, Object> counters = new LinkedHashMap<>();
        for (String name : List.of(PipelineCounter.RECEIVED, PipelineCounter.ACCEPTED, PipelineCounter.SAMPLED_OUT, PipelineCounter.DEAD_LETTERED)) {
            counters.put(name, ((Number) accumulators.getOrDefault(name, 0L)).longValue());
        }
        counters.put("deadLetteredByReason", byPrefix(accumulators, RecordCounters.DEAD_LETTER_PREFIX));
        counters.put("violationsByRule", byPrefix(accumulators, RecordCounters.VIOLATION_PREFIX));
        counters.put("validBySignal", byPrefix(accumulators, RecordCounters.VALID_PREFIX));
        return counters;
    }

    private static Map<String, Long> byPrefix(Map<String, Object> accumulators, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            if (name.startsWith(prefix)) out.put(name.substring(prefix.length()), ((Number) value).longValue());
        });
        return out;
    }

    /** Prints where a run's outputs are, as the CLI shows it. */
    public static String describeOutputs(Path outputDir) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of(SPANS, METRICS, LOGS, WORKLOAD, SYSTEM, INFERENCE, DEAD_LETTER, COUNTERS)) {
            Path file = outputDir.resolve(name);
            if (Files.exists(file)) {
                text.append("  ").append(file);
                if (name.endsWith(".jsonl")) text.append("  (").append(countLines(file)).append(" lines)");
                text.append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
