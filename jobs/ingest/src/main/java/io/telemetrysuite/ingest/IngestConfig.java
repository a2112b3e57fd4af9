package io.telemetrysuite.ingest;

import io.telemetrysuite.ingest.sample.SamplingConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything the ingest job can be told, with its defaults. This class is the one place the defaults
 * live; {@link IngestConfigLoader} reads a YAML file over them and the README documents them.
 */
public class IngestConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public String bootstrapServers = "127.0.0.1:9092";
    public String consumerGroup = "telemetry-ingest";
    /** Prefix of the exactly-once sink's transactional ids; must be unique per job on a cluster. */
    public String transactionalIdPrefix = "telemetry-ingest";
    public IngestTopics topics = new IngestTopics();

    public Duration checkpointInterval = Duration.ofSeconds(10);
    /** Longer than a checkpoint plus a restart, within the broker's transaction.max.timeout.ms. */
    public Duration transactionTimeout = Duration.ofMinutes(15);

    /** The semantic-conventions registry; null means the bundled one. */
    public String registryFile;
    /** The privacy policy; null means the bundled one. */
    public String privacyPolicyFile;
    /** Items stamped later than now plus this are rejected as timestamp_in_future. */
    public Duration maxFutureSkew = Duration.ofHours(1);

    public SamplingConfig sampling = new SamplingConfig();

    public IngestConfig() {}
}
