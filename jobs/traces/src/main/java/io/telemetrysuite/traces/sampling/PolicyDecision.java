package io.telemetrysuite.traces.sampling;

/**
 * What one policy says about one trace: the Collector's {@code samplingpolicy.Decision} values that a
 * policy can return. The inverted values come only from {@code invert_match} on the attribute
 * policies; the decider ranks them as the Collector's processor does (see {@link TailSamplingDecider}).
 */
public enum PolicyDecision {
    SAMPLED,
    NOT_SAMPLED,
    /** A {@code drop} policy matched: the trace is not kept, whatever any other policy says. */
    DROPPED,
    /** {@code invert_match} found no matching value: keep unless some policy said {@link #NOT_SAMPLED}. */
    INVERT_SAMPLED,
    /** {@code invert_match} found a matching value: not kept, and this outranks every {@link #SAMPLED}. */
    INVERT_NOT_SAMPLED
}
