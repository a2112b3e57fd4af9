package io.telemetrysuite.traces.sampling;

import java.util.Set;

/** {@code status_code}: keeps a trace with at least one span whose status is one of {@code status_codes} (OK, ERROR, UNSET). */
public final class StatusCodePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;
    static final Set<String> CODES = Set.of("OK", "ERROR", "UNSET");

    private final Set<String> statusCodes;

    public StatusCodePolicy(Set<String> statusCodes) {
        this.statusCodes = Set.copyOf(statusCodes);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return SpanMatch.anySpan(trace, span -> statusCodes.contains(span.statusCode));
    }
}
