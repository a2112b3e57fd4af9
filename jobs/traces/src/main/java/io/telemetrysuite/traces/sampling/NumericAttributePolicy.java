package io.telemetrysuite.traces.sampling;

/**
 * {@code numeric_attribute}: keeps a trace where a span or its resource has the attribute {@code key}
 * with a value in {@code [min_value, max_value]}; with {@code invert_match}, votes
 * {@link PolicyDecision#INVERT_SAMPLED} when no span or resource has an in-range value and
 * {@link PolicyDecision#INVERT_NOT_SAMPLED} otherwise.
 *
 * <p>Attribute values reach us as strings (see {@code io.telemetrysuite.otlp.AnyValues}): an OTLP
 * integer arrives as its decimal digits and is read back exactly. Any other value (a double such as
 * {@code 75.5} or {@code 500.0}, a string, a boolean) reads as 0, because the Collector reads the
 * attribute with {@code pcommon.Value.Int()}, which is 0 for every type but int. The one difference
 * left: a string attribute holding digits ({@code "503"}) is 503 here and 0 in the Collector, since
 * the string form no longer says which type it had.
 */
public final class NumericAttributePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long min;
    private final long max;
    private final boolean invertMatch;
    private final boolean plainInvert;

    /**
     * @param minValue null for no lower bound (the Collector treats {@code min_value: 0} as unset)
     * @param maxValue null for no upper bound (likewise {@code max_value: 0})
     */
    public NumericAttributePolicy(String key, Long minValue, Long maxValue, boolean invertMatch) {
        this(key, minValue, maxValue, invertMatch, false);
    }

    /** @param plainInvert invert_match votes plain SAMPLED/NOT_SAMPLED (see {@link InvertMode}) */
    public NumericAttributePolicy(String key, Long minValue, Long maxValue, boolean invertMatch, boolean plainInvert) {
        this.key = key;
        this.min = minValue == null ? Long.MIN_VALUE : minValue;
        this.max = maxValue == null ? Long.MAX_VALUE : maxValue;
        this.invertMatch = invertMatch;
        this.plainInvert = plainInvert;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        if (invertMatch) {
            return SpanMatch.everyResourceAndSpan(trace, plainInvert,
                    resource -> !inRange(resource.get(key)),
                    span -> !inRange(span.attributes.get(key)));
        }
        return SpanMatch.anyResourceOrSpan(trace,
                resource -> inRange(resource.get(key)),
                span -> inRange(span.attributes.get(key)));
    }

    private boolean inRange(String value) {
        if (value == null) return false;
        long v = asInt(value);
        return v >= min && v <= max;
    }

    /** {@code pcommon.Value.Int()} on our string form: the integer, or 0 for anything that is not one. */
    static long asInt(String value) {
        int n = value.length();
        if (n == 0 || n > 20) return 0;
        int i = value.charAt(0) == '-' ? 1 : 0;
        if (i == n) return 0;
        for (int j = i; j < n; j++) {
            char c = value.charAt(j);
            if (c < '0' || c > '9') return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
