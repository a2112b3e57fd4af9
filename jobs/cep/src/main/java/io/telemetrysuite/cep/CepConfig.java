package io.telemetrysuite.cep;

import java.io.Serializable;
import java.time.Duration;

/** The CEP job's settings, with their defaults in one place. Rules come separately (a rule folder). */
public class CepConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How far behind the largest event time seen the watermark trails; later events are dropped as late. */
    public Duration maxOutOfOrderness = Duration.ofSeconds(5);
    /** A signal with no events for this long (processing time) stops holding back event time. */
    public Duration idleness = Duration.ofSeconds(30);
    public String alertsTopic = "alerts";
    public String consumerGroup = "telemetry-cep";
    /** Unique per job on a cluster: two jobs sharing it would fence each other's transactions. */
    public String transactionalIdPrefix = "telemetry-cep";
    /** Longer than a checkpoint plus a restart, within the broker's transaction.max.timeout.ms. */
    public Duration transactionTimeout = Duration.ofMinutes(15);
    public Duration checkpointInterval = Duration.ofSeconds(10);

    public CepConfig() {}
}
