package io.telemetrysuite.traces.sampling;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code trace_state}: keeps a trace with at least one span whose W3C {@code tracestate} has {@code
 * key} set to one of {@code values}.
 *
 * <p>As in the Collector, a span's trace state that is not valid W3C (a malformed member, a duplicate
 * key, more than 32 members) counts as no match, and configured values for which {@code key=value}
 * would reach 256 characters are ignored because no valid trace state can hold them.
 */
public final class TraceStatePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;
    private static final int MAX_MEMBERS = 32;
    // The W3C key and value grammars, as OpenTelemetry Go's ParseTraceState checks them.
    private static final Pattern KEY = Pattern.compile(
            "[a-z][_0-9a-z\\-*/]{0,255}|[a-z0-9][_0-9a-z\\-*/]{0,240}@[a-z][_0-9a-z\\-*/]{0,13}");
    private static final Pattern VALUE = Pattern.compile(
            "[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

    private final String key;
    private final Set<String> values;

    public TraceStatePolicy(String key, List<String> values) {
        this.key = key;
        Set<String> accepted = new HashSet<>();
        for (String v : values) {
            if (!v.isEmpty() && key.length() + v.length() < 256) accepted.add(v);
        }
        this.values = accepted;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return SpanMatch.anySpan(trace, span -> {
            Map<String, String> members = parse(span.traceState);
            if (members == null) return false;
            return values.contains(members.getOrDefault(key, ""));
        });
    }

    /** The trace state's members, or null when it is not valid W3C trace state. */
    static Map<String, String> parse(String traceState) {
        Map<String, String> members = new HashMap<>();
        if (traceState == null || traceState.isEmpty()) return members;
        for (String raw : traceState.split(",", -1)) {
            String member = raw.strip();
            if (member.isEmpty()) continue;
            int eq = member.indexOf('=');
            if (eq <= 0) return null;
            String k = member.substring(0, eq);
            String v = member.substring(eq + 1);
            if (!KEY.matcher(k).matches() || !VALUE.matcher(v).matches()) return null;
            if (members.put(k, v) != null) return null;
            if (members.size() > MAX_MEMBERS) return null;
        }
        return members;
    }
}
