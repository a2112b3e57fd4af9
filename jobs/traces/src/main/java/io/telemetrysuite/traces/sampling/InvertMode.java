package io.telemetrysuite.traces.sampling;

/**
 * What {@code invert_match} votes, which depends on the Collector version being replaced.
 *
 * <p>{@link #INVERTED} is the Collector's classic behaviour (every release before v0.126, and later
 * ones while the feature gate {@code processor.tailsamplingprocessor.disableinvertdecisions} was off):
 * the attribute policies vote INVERT_SAMPLED / INVERT_NOT_SAMPLED, which the decider ranks apart from
 * plain votes (an INVERT_NOT_SAMPLED vetoes every SAMPLED). {@link #PLAIN} is the behaviour once that
 * gate is on, which it always is since it became stable: the same outcomes are plain SAMPLED /
 * NOT_SAMPLED, and vetoes are written as {@code drop} policies instead.
 */
public enum InvertMode {
    INVERTED,
    PLAIN
}
