package io.telemetrysuite.traces.sampling;

/**
 * {@code boolean_attribute}: keeps a trace where a span or its resource has the attribute {@code key}
 * equal to {@code value}; with {@code invert_match}, votes {@link PolicyDecision#INVERT_SAMPLED} when
 * no span or resource has it equal to {@code value} (absent counts as not equal) and
 * {@link PolicyDecision#INVERT_NOT_SAMPLED} otherwise.
 *
 * <p>An OTLP boolean arrives as {@code true}/{@code false}; the attribute reads as true only when it
 * is exactly {@code true} and as false otherwise, as the Collector's {@code pcommon.Value.Bool()} is
 * false for every non-boolean value. Only a string attribute holding {@code "true"} differs (true
 * here, false in the Collector).
 */
public final class BooleanAttributePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final boolean value;
    private final boolean invertMatch;
    private final boolean plainInvert;

    public BooleanAttributePolicy(String key, boolean value, boolean invertMatch) {
        this(key, value, invertMatch, false);
    }

    /** @param plainInvert invert_match votes plain SAMPLED/NOT_SAMPLED (see {@link InvertMode}) */
    public BooleanAttributePolicy(String key, boolean value, boolean invertMatch, boolean plainInvert) {
        this.key = key;
        this.value = value;
        this.invertMatch = invertMatch;
        this.plainInvert = plainInvert;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        if (invertMatch) {
            return SpanMatch.everyResourceAndSpan(trace, plainInvert,
                    resource -> differs(resource.get(key)),
                    span -> differs(span.attributes.get(key)));
        }
        return SpanMatch.anyResourceOrSpan(trace,
                resource -> equal(resource.get(key)),
                span -> equal(span.attributes.get(key)));
    }

    private boolean equal(String attribute) {
        return attribute != null && "true".equals(attribute) == value;
    }

    private boolean differs(String attribute) {
        return attribute == null || "true".equals(attribute) != value;
    }
}
