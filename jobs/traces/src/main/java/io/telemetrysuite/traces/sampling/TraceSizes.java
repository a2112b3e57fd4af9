package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The size of a trace as {@code bytes_limiting} counts it: the Collector's {@code calculateTraceSize}
 * estimate (fixed 68 bytes a span for ids, times, kind, status and counters; each string by its UTF-8
 * length; each attribute as its key plus its value; 12 more bytes an event, 28 a link; 4 plus the
 * attributes per resource, and name, version and 4 per scope).
 *
 * <p>Two approximations, because our spans are flattened and their values are strings: a resource
 * (and a scope within it) counts once per trace, where the Collector counts it once per received
 * batch; and a value that reads as an integer or a double counts 8 bytes and {@code true}/{@code
 * false} 1 byte, as the typed OTLP values would, so only strings spelled like numbers or booleans are
 * counted differently.
 */
final class TraceSizes {
    private TraceSizes() {}

    static long estimate(List<Span> spans) {
        long total = 0;
        Set<Map<String, String>> resources = new HashSet<>();
        Set<List<Object>> scopes = new HashSet<>();
        for (Span span : spans) {
            if (resources.add(span.resourceAttributes)) total += 4 + attributes(span.resourceAttributes);
            if (scopes.add(List.of(span.resourceAttributes, Objects.toString(span.scopeName, ""),
                    Objects.toString(span.scopeVersion, "")))) {
                total += utf8(span.scopeName) + utf8(span.scopeVersion) + 4;
            }
            total += span(span);
        }
        return total;
    }

    static long span(Span span) {
        long size = 68 + utf8(span.name) + utf8(span.traceState) + utf8(span.statusMessage);
        size += attributes(span.attributes);
        for (SpanEvent event : span.events) size += 12 + utf8(event.name) + attributes(event.attributes);
        for (SpanLink link : span.links) size += 28 + utf8(link.traceState) + attributes(link.attributes);
        return size;
    }

    private static long attributes(Map<String, String> attributes) {
        if (attributes == null) return 0;
        long size = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) size += utf8(e.getKey()) + value(e.getValue());
        return size;
    }

    static long value(String v) {
        if (v == null) return 0;
        if (v.equals("true") || v.equals("false")) return 1;
        if (looksNumeric(v)) return 8;
        return utf8(v);
    }

    private static boolean looksNumeric(String v) {
        if (v.isEmpty() || v.length() > 32) return false;
        char c = v.charAt(0);
        if (!(c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I')) return false;
        try {
            Double.parseDouble(v);
            return !v.endsWith("d") && !v.endsWith("f") && !v.endsWith("D") && !v.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long utf8(String s) {
        if (s == null) return 0;
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
        return ascii ? n : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
