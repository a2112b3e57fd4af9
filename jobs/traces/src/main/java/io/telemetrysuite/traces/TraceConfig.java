package io.telemetrysuite.traces;

import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything the trace topology needs, defaults in one place: the Collector's {@code tail_sampling}
 * settings and the decider built from them, plus the event-time and state settings that have no
 * Collector counterpart.
 */
public final class TraceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Used when {@code expected_new_traces_per_sec} is not set, to turn a decision-cache size into a time to live. */
    static final int ASSUMED_NEW_TRACES_PER_SEC = 1_000;
    /** Decisions are remembered at least this long, so a late span of a trace decided a moment ago still follows it. */
    static final Duration MIN_DECISION_TTL = Duration.ofMinutes(5);

    public final TailSamplingConfig sampling;
    public final TraceDecider decider;
    /** How far spans may arrive out of event-time order (span end times) before the watermark passes them. */
    public Duration maxOutOfOrderness = Duration.ofSeconds(5);
    /** A source split silent this long stops holding the watermark back. */
    public Duration idleness = Duration.ofSeconds(30);
    /**
     * Processing-time bound: a pending trace is decided at the latest this long after its first span
     * arrived (wall clock), whatever the watermark does, so a stalled or idle stream still decides.
     * Default {@code decision_wait} + 30 s; must be at least {@code decision_wait}.
     */
    public Duration processingTimeBound;
    /** Spans held per trace; further ones are counted and dropped. */
    public int maxSpansPerTrace = 10_000;
    /** Parallelism of the assembly (informational: bounds and rates are per subtask, as per Collector instance). */
    public int parallelism = 1;

    public TraceConfig(TailSamplingConfig sampling, TraceDecider decider) {
        this.sampling = sampling;
        this.decider = decider;
        this.processingTimeBound = sampling.decisionWait.plusSeconds(30);
    }

    /** Every trace kept, Collector defaults: what {@code run traces} does without {@code --tail-sampling}. */
    public static TraceConfig keepAll() {
        return new TraceConfig(new TailSamplingConfig(), TraceDecider.keepAll());
    }

    /** The configuration's own policies. */
    public static TraceConfig of(TailSamplingConfig sampling) {
        return new TraceConfig(sampling, sampling.decider());
    }

    public TraceConfig withParallelism(int parallelism) {
        this.parallelism = parallelism;
        return this;
    }

    /**
     * Pending traces one subtask holds: {@code num_traces}. Each subtask stands for one Collector
     * instance of a tier, as the decider's rate-limiting policies do (per subtask), so a config moved
     * from a Collector tier of p instances to a job of parallelism p keeps its meaning.
     */
    public int maxTracesInFlightPerSubtask() {
        return sampling.numTraces;
    }

    /**
     * Time to live of a cached sampled decision. The Collector's cache holds the last N decisions; keyed
     * state expires by time instead, so N becomes N / {@code expected_new_traces_per_sec} seconds (1,000
     * traces/s assumed when unset), never under five minutes: with the cache off (size 0, the Collector's
     * default) late spans still follow the decision for five minutes instead of starting a new trace.
     */
    public Duration sampledDecisionTtl() {
        return ttl(sampling.sampledCacheSize);
    }

    /** As {@link #sampledDecisionTtl()}, for not-sampled decisions, from their own cache size. */
    public Duration notSampledDecisionTtl() {
        return ttl(sampling.nonSampledCacheSize);
    }

    private Duration ttl(int cacheSize) {
        int rate = sampling.expectedNewTracesPerSec > 0 ? sampling.expectedNewTracesPerSec : ASSUMED_NEW_TRACES_PER_SEC;
        Duration byCache = Duration.ofMillis(cacheSize * 1000L / rate);
        return byCache.compareTo(MIN_DECISION_TTL) > 0 ? byCache : MIN_DECISION_TTL;
    }

    /** Throws on settings the topology cannot honour. */
    public TraceConfig validate() {
        if (sampling.decisionWait.isNegative() || sampling.decisionWait.isZero()) {
            throw new IllegalArgumentException("tail_sampling.decision_wait must be positive, got " + sampling.decisionWait);
        }
        if (processingTimeBound.compareTo(sampling.decisionWait) < 0) {
            throw new IllegalArgumentException("processingTimeBound " + processingTimeBound + " is shorter than decision_wait " + sampling.decisionWait);
        }
        if (sampling.numTraces <= 0) throw new IllegalArgumentException("tail_sampling.num_traces must be positive, got " + sampling.numTraces);
        if (maxSpansPerTrace <= 0) throw new IllegalArgumentException("maxSpansPerTrace must be positive, got " + maxSpansPerTrace);
        return this;
    }
}
