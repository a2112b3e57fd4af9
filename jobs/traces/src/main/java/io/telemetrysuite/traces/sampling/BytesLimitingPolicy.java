package io.telemetrysuite.traces.sampling;

/**
 * {@code bytes_limiting}: keeps traces while their size fits a token bucket of {@code
 * bytes_per_second} refilled continuously, holding at most {@code burst_capacity} bytes (default twice
 * {@code bytes_per_second}); a trace larger than the burst capacity is never kept. Sizes are the
 * Collector's estimate (see {@link TraceSizes}); the clock is the decision's event time.
 */
public final class BytesLimitingPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final long bytesPerSecond;
    private final long burstCapacity;
    private final TokenBucket bucket;

    /** @param burstCapacity 0 for the default, twice {@code bytesPerSecond} */
    public BytesLimitingPolicy(long bytesPerSecond, long burstCapacity) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstCapacity = burstCapacity > 0 ? burstCapacity : 2 * bytesPerSecond;
        this.bucket = new TokenBucket(bytesPerSecond, this.burstCapacity);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return bucket.allow(trace.nowMillis(), trace.sizeBytes()) ? PolicyDecision.SAMPLED : PolicyDecision.NOT_SAMPLED;
    }

    @Override
    public TracePolicy fresh() {
        return new BytesLimitingPolicy(bytesPerSecond, burstCapacity);
    }
}
