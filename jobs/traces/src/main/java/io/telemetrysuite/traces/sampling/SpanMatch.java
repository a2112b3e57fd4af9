package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Collector's trace-walking helpers ({@code internal/sampling/util.go}) on our flattened spans,
 * where each span carries its resource's attributes: "does any resource or span match" and its
 * inverted form "does every resource and span pass".
 */
final class SpanMatch {
    private SpanMatch() {}

    /** {@code hasResourceOrSpanWithCondition}: SAMPLED when any span's resource or the span itself matches. */
    static PolicyDecision anyResourceOrSpan(TraceData trace, Predicate<Map<String, String>> resource,
            Predicate<Span> span) {
        for (Span s : trace.spans()) {
            if (resource.test(s.resourceAttributes) || span.test(s)) return PolicyDecision.SAMPLED;
        }
        return PolicyDecision.NOT_SAMPLED;
    }

    /**
     * {@code invertHasResourceOrSpanWithCondition}: INVERT_NOT_SAMPLED as soon as a resource or a span
     * fails its check, INVERT_SAMPLED when all pass (including a trace with no spans). With {@code
     * plain} (the Collector's {@code disableinvertdecisions} feature gate) the same outcomes are plain
     * NOT_SAMPLED and SAMPLED.
     */
    static PolicyDecision everyResourceAndSpan(TraceData trace, boolean plain, Predicate<Map<String, String>> resource,
            Predicate<Span> span) {
        for (Span s : trace.spans()) {
            if (!resource.test(s.resourceAttributes) || !span.test(s)) {
                return plain ? PolicyDecision.NOT_SAMPLED : PolicyDecision.INVERT_NOT_SAMPLED;
            }
        }
        return plain ? PolicyDecision.SAMPLED : PolicyDecision.INVERT_SAMPLED;
    }

    /** {@code hasSpanWithCondition}: SAMPLED when any span matches, checked in arrival order. */
    static PolicyDecision anySpan(TraceData trace, Predicate<Span> span) {
        for (Span s : trace.spans()) {
            if (span.test(s)) return PolicyDecision.SAMPLED;
        }
        return PolicyDecision.NOT_SAMPLED;
    }
}
