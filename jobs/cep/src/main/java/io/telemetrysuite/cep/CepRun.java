package io.telemetrysuite.cep;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.model.Aggregate;
import org.apache.flink.streaming.api.datastream.DataStream;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestConfigLoader;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.sink.JsonLinesFileSink;
import io.telemetrysuite.model.Alert;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./telemetry run cep}: ingest parsing with sampling off, then the rules, bounded, from files to
 * {@code alerts.jsonl} (a contract: one {@link Alert} per line, with at least {@code ruleId},
 * {@code severity}, {@code status}, {@code labels}, {@code eventTime}; add fields, never rename or drop
 * one). Rules over {@code aggregate} read the aggregate topology's windows (at its defaults), computed in
 * the same job. Event time advances only at the end of the input ({@link CepConfig.Watermarks#END_OF_INPUT}):
 * nothing is late whatever order the files are read in, and the final watermark passes every deadline,
 * so pending absences fire.
 */
public final class CepRun {
    public static final String ALERTS = "alerts.jsonl";

    private CepRun() {}

    /** Loads and validates the rules (throwing with every problem), runs to the end of the input, returns the alert count. */
    public static long run(Path rulesDir, List<Path> inputs, Path outputDir, @Nullable Path ingestConfigFile, int parallelism) throws Exception {
        return run(RuleLoader.load(rulesDir), inputs, outputDir, ingestConfigFile, parallelism);
    }

    public static long run(List<Rule> rules, List<Path> inputs, Path outputDir, @Nullable Path ingestConfigFile, int parallelism) throws Exception {
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "input does not exist");
        }
        IngestConfig ingestConfig = IngestConfigLoader.load(ingestConfigFile == null ? null : ingestConfigFile.toString());
        // Every span counts for the rules: a sampled-out error would hide a burst.
        ingestConfig.sampling.enabled = false;
        IngestPolicies policies = IngestPolicies.load(ingestConfig);
        Files.createDirectories(outputDir);
        Path alertsFile = outputDir.resolve(ALERTS);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        IngestStreams ingest = IngestJob.buildTopology(IngestJob.fileSource(env, inputs), ingestConfig, policies);
        CepConfig config = new CepConfig();
        config.watermarks = CepConfig.Watermarks.END_OF_INPUT;
        DataStream<Aggregate> aggregates = rules.stream().anyMatch(r -> r.signals().contains(Signal.AGGREGATE))
                ? AggregateJob.buildTopology(ingest, new AggregateConfig()).aggregates()
                : null;
        CepJob.buildTopology(ingest, aggregates, rules, config)
                .sinkTo(new JsonLinesFileSink<>(alertsFile))
                .setParallelism(1).uid("cep-sink-alerts").name("Alerts sink");
        env.execute(CepJob.NAME + " (run)");
        if (!Files.exists(alertsFile)) Files.createFile(alertsFile);
        try (var lines = Files.lines(alertsFile)) {
            return lines.count();
        }
    }
}
