package io.telemetrysuite.traces.assembly;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import java.util.Map;

/**
 * The size a span counts against {@code maximum_trace_size_bytes}: close to its OTLP protobuf size
 * (string bytes plus a few bytes of tag and length per field), without encoding it, since it is
 * computed for every span on the hot path.
 */
final class SpanSize {
    private static final int FIXED = 16 + 8 + 8 + 2 * 9 + 4 + 8 * 3;

    private SpanSize() {}

    static long estimate(Span s) {
        long size = FIXED + len(s.traceId) / 2 + len(s.spanId) / 2 + len(s.parentSpanId) / 2 + len(s.name) + len(s.traceState)
                + len(s.statusMessage) + len(s.serviceName) + len(s.scopeName) + len(s.scopeVersion);
        size += attributes(s.attributes) + attributes(s.resourceAttributes);
        if (s.events != null) {
            for (SpanEvent e : s.events) size += 12 + len(e.name) + attributes(e.attributes);
        }
        if (s.links != null) size += 40L * s.links.size();
        return size;
    }

    private static long attributes(Map<String, String> attributes) {
        if (attributes == null) return 0;
        long size = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) size += 6 + len(e.getKey()) + len(e.getValue());
        return size;
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }
}
