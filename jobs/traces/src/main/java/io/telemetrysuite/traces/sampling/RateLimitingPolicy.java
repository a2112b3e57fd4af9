package io.telemetrysuite.traces.sampling;

/**
 * {@code rate_limiting}: keeps traces while their spans fit a token bucket of {@code
 * spans_per_second} refilled continuously, holding at most {@code burst_capacity} spans (default
 * twice {@code spans_per_second}); a trace with more spans than the burst capacity is never kept.
 * This is the Collector's current limiter ({@code golang.org/x/time/rate}); Collectors before the
 * token bucket counted spans per wall-clock second instead.
 *
 * <p>The clock is the decision's event time, so a replayed stream decides the same way. The budget is
 * per decider: with parallelism p each subtask has its own, as each Collector of a tier does.
 */
public final class RateLimitingPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final long spansPerSecond;
    private final long burstCapacity;
    private final TokenBucket bucket;

    /** @param burstCapacity 0 for the default, twice {@code spansPerSecond} */
    public RateLimitingPolicy(long spansPerSecond, long burstCapacity) {
        this.spansPerSecond = spansPerSecond;
        this.burstCapacity = burstCapacity > 0 ? burstCapacity : 2 * spansPerSecond;
        this.bucket = new TokenBucket(spansPerSecond, this.burstCapacity);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return bucket.allow(trace.nowMillis(), trace.spanCount()) ? PolicyDecision.SAMPLED : PolicyDecision.NOT_SAMPLED;
    }

    @Override
    public TracePolicy fresh() {
        return new RateLimitingPolicy(spansPerSecond, burstCapacity);
    }
}
