package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.config.ConfigException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The OpenTelemetry Collector's {@code tail_sampling} processor configuration, read unchanged from its
 * YAML (either the processor's own mapping, or a Collector config with
 * {@code processors: tail_sampling: ...}). Defaults are the Collector's.
 */
public final class TailSamplingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Duration decisionWait = Duration.ofSeconds(30);
    /** Zero: off; otherwise decide this long after the root span arrived, if earlier than decisionWait. */
    public Duration decisionWaitAfterRootReceived = Duration.ZERO;
    public int numTraces = 50_000;
    public int expectedNewTracesPerSec = 0;
    /** Zero: no cap. */
    public long maximumTraceSizeBytes = 0;
    /** Decision cache sizes (entries); zero: off, as in the Collector. */
    public int sampledCacheSize = 0;
    public int nonSampledCacheSize = 0;

    public TailSamplingConfig() {}

    /** Reads the file; throws with file, line, column and field on anything the Collector would refuse or we do not support. */
    public static TailSamplingConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("TailSamplingConfig.load is being written");
    }

    /** The decider for this configuration's policies; keeps every trace when there are none. */
    public TraceDecider decider() {
        return TraceDecider.keepAll();
    }
}
