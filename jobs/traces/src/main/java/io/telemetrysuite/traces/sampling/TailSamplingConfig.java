package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The OpenTelemetry Collector's {@code tail_sampling} processor configuration, read unchanged from its
 * YAML (either the processor's own mapping, or a Collector config with
 * {@code processors: tail_sampling: ...}). Defaults are the Collector's.
 *
 * <p>See {@link TailSamplingConfigReader} for what is accepted and refused, and {@link
 * TailSamplingDecider} for how the policies decide.
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
    /** The configured policies in file order; empty only for a configuration not read from a file. */
    public List<NamedPolicy> policies = List.of();
    /** {@code sample_on_first_match}: stop evaluating at the first policy that samples. */
    public boolean sampleOnFirstMatch = false;
    /** The file the configuration came from, for messages; empty when built in code. */
    public String source = "";

    public TailSamplingConfig() {}

    /** Reads the file; throws with file, line, column and field on anything the Collector would refuse or we do not support. */
    public static TailSamplingConfig load(Path file) throws ConfigException {
        return load(file, InvertMode.INVERTED);
    }

    /** As {@link #load(Path)}, with {@code invert_match} voting as the given Collector generation does. */
    public static TailSamplingConfig load(Path file, InvertMode invertMode) throws ConfigException {
        return read(YamlConfig.load(file), invertMode);
    }

    /** Reads an already loaded YAML tree (a processor mapping or a whole Collector configuration). */
    public static TailSamplingConfig read(ConfigNode root, InvertMode invertMode) throws ConfigException {
        return TailSamplingConfigReader.read(root, invertMode);
    }

    /**
     * A new decider for this configuration's policies, with its own rate-limiting state.
     *
     * <p>A configuration read from a file always has policies (the Collector requires them). One built
     * in code without policies means "tail sampling off" and keeps every trace, which is what {@code
     * run traces} does without {@code --tail-sampling}; the Collector itself, given no policies, would
     * keep none.
     */
    public TraceDecider decider() {
        if (policies.isEmpty()) return TraceDecider.keepAll();
        return new TailSamplingDecider(policies, sampleOnFirstMatch);
    }
}
