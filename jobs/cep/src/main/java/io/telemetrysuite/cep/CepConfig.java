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
    /** When watermarks are emitted; {@link Watermarks#PERIODIC} for a live job. */
    public Watermarks watermarks = Watermarks.PERIODIC;
    public String alertsTopic = "alerts";
    public String consumerGroup = "telemetry-cep";
    /** Unique per job on a cluster: two jobs sharing it would fence each other's transactions. */
    public String transactionalIdPrefix = "telemetry-cep";
    /** Longer than a checkpoint plus a restart, within the broker's transaction.max.timeout.ms. */
    public Duration transactionTimeout = Duration.ofMinutes(15);
    public Duration checkpointInterval = Duration.ofSeconds(10);

    public CepConfig() {}

    /** How event time advances. */
    public enum Watermarks {
        /** Every {@code pipeline.auto-watermark-interval} (processing time): a live job. */
        PERIODIC,
        /** After every event: tests that want deadlines to pass while the input is still flowing. */
        EVERY_EVENT,
        /**
         * Only the final watermark at the end of a bounded input: files may be read in any order and in
         * parallel without any event being late, and every decision is taken, in event-time order per key,
         * at the end ({@code run cep}). Costs state: each rule holds its keys' events until then.
         */
        END_OF_INPUT
    }
}
