package io.telemetrysuite.ingest;

import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import io.telemetrysuite.ingest.sample.SamplingConfig;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import javax.annotation.Nullable;

/**
 * Reads an ingest config YAML over {@link IngestConfig}'s defaults. Every key is optional; an
 * unknown key, a wrong type or a bad duration is refused with the file, line, column and field.
 * Relative paths in the file (registry, privacy policy) are resolved against the file's folder.
 */
public final class IngestConfigLoader {
    private IngestConfigLoader() {}

    /** The defaults when {@code file} is null. */
    public static IngestConfig load(@Nullable String file) throws NoSuchFileException {
        IngestConfig config = new IngestConfig();
        if (file == null) return config;
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) throw new NoSuchFileException(file, null, "config file does not exist");
        ConfigNode root = YamlConfig.load(path);
        if (root.isNull()) return config;
        read(root, config, path.toAbsolutePath().getParent());
        return config;
    }

    private static void read(ConfigNode root, IngestConfig config, Path baseDir) {
        root.rejectUnknownFields("bootstrapServers", "consumerGroup", "transactionalIdPrefix", "topics",
                "checkpointInterval", "transactionTimeout", "registry", "privacyPolicy", "maxFutureSkew", "sampling");
        config.bootstrapServers = root.optionalString("bootstrapServers", config.bootstrapServers);
        config.consumerGroup = root.optionalString("consumerGroup", config.consumerGroup);
        config.transactionalIdPrefix = root.optionalString("transactionalIdPrefix", config.transactionalIdPrefix);
        config.checkpointInterval = root.optionalDuration("checkpointInterval", config.checkpointInterval);
        config.transactionTimeout = root.optionalDuration("transactionTimeout", config.transactionTimeout);
        config.maxFutureSkew = root.optionalDuration("maxFutureSkew", config.maxFutureSkew);
        root.optional("registry").filter(n -> !n.isNull())
                .ifPresent(n -> config.registryFile = baseDir.resolve(n.asNonEmptyString()).toString());
        root.optional("privacyPolicy").filter(n -> !n.isNull())
                .ifPresent(n -> config.privacyPolicyFile = baseDir.resolve(n.asNonEmptyString()).toString());
        root.optional("topics").ifPresent(n -> readTopics(n, config.topics));
        root.optional("sampling").ifPresent(n -> readSampling(n, config.sampling));
    }

    private static void readTopics(ConfigNode node, IngestTopics topics) {
        node.rejectUnknownFields("otlpSpans", "otlpMetrics", "otlpLogs", "records",
                "spans", "metrics", "logs", "workload", "system", "inference", "deadLetter");
        topics.otlpSpans = node.optionalString("otlpSpans", topics.otlpSpans);
        topics.otlpMetrics = node.optionalString("otlpMetrics", topics.otlpMetrics);
        topics.otlpLogs = node.optionalString("otlpLogs", topics.otlpLogs);
        topics.records = node.optionalString("records", topics.records);
        topics.spans = node.optionalString("spans", topics.spans);
        topics.metrics = node.optionalString("metrics", topics.metrics);
        topics.logs = node.optionalString("logs", topics.logs);
        topics.workload = node.optionalString("workload", topics.workload);
        topics.system = node.optionalString("system", topics.system);
        topics.inference = node.optionalString("inference", topics.inference);
        topics.deadLetter = node.optionalString("deadLetter", topics.deadLetter);
    }

    private static void readSampling(ConfigNode node, SamplingConfig sampling) {
        node.rejectUnknownFields("enabled", "spansPerSecondPerService", "defaultSlowThreshold", "slowThresholdByRoute",
                "minProbability", "decisionTtl", "rateSmoothing");
        sampling.enabled = node.optionalBoolean("enabled", sampling.enabled);
        if (node.has("spansPerSecondPerService")) {
            sampling.spansPerSecondPerService = node.required("spansPerSecondPerService").asPositiveDouble();
        }
        sampling.defaultSlowThreshold = node.optionalDuration("defaultSlowThreshold", sampling.defaultSlowThreshold);
        node.optional("slowThresholdByRoute").filter(n -> !n.isNull())
                .ifPresent(n -> sampling.slowThresholdByRoute = new LinkedHashMap<>(n.mapEntries(ConfigNode::asPositiveDuration)));
        if (node.has("minProbability")) {
            double p = node.required("minProbability").asDouble();
            if (p < 0 || p > 1) throw node.required("minProbability").error("expected a probability between 0 and 1, got " + p);
            sampling.minProbability = p;
        }
        sampling.decisionTtl = node.optionalDuration("decisionTtl", sampling.decisionTtl);
        if (node.has("rateSmoothing")) {
            double a = node.required("rateSmoothing").asDouble();
            if (a <= 0 || a > 1) throw node.required("rateSmoothing").error("expected a weight in (0, 1], got " + a);
            sampling.rateSmoothing = a;
        }
    }
}
