package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the small traces the Collector's policy tests use, as our flattened spans. */
final class Traces {
    /** The Collector tests' trace id, bytes 1..16. */
    static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
    static final long T0 = 1_700_000_000_000_000_000L;

    private Traces() {}

    static Span span() {
        Span s = new Span();
        s.traceId = TRACE_ID;
        s.spanId = "0102030405060708";
        s.name = "span";
        s.serviceName = "svc";
        s.startTimeUnixNano = T0;
        s.endTimeUnixNano = T0;
        return s;
    }

    /** One span with a span attribute and the given resource attributes (the Collector's newTrace*Attrs). */
    static List<Span> withAttrs(Map<String, String> resource, String spanKey, String spanValue) {
        Span s = span();
        s.resourceAttributes = new HashMap<>(resource);
        s.attributes.put(spanKey, spanValue);
        return List.of(s);
    }

    static List<Span> spanAttr(String key, String value) {
        return withAttrs(Map.of(), key, value);
    }

    static List<Span> resourceAttr(String key, String value) {
        return withAttrs(Map.of(key, value), "", "");
    }

    /** Spans starting {@code startOffsetsMs} after T0 and lasting {@code durationsMs}. */
    static List<Span> timed(long[] startOffsetsMs, long[] durationsMs) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < startOffsetsMs.length; i++) {
            Span s = span();
            s.startTimeUnixNano = T0 + startOffsetsMs[i] * 1_000_000L;
            s.endTimeUnixNano = s.startTimeUnixNano + durationsMs[i] * 1_000_000L;
            spans.add(s);
        }
        return spans;
    }

    static List<Span> count(int n) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) spans.add(span());
        return spans;
    }

    static List<Span> statuses(String... codes) {
        List<Span> spans = new ArrayList<>();
        for (String c : codes) {
            Span s = span();
            s.statusCode = c;
            spans.add(s);
        }
        return spans;
    }

    static List<Span> traceState(String state) {
        Span s = span();
        s.traceState = state;
        return List.of(s);
    }

    /** The Collector's bytes_limiting test trace: 250 bytes by its estimate. */
    static List<Span> bytesTestTrace() {
        Span s = span();
        s.resourceAttributes = new HashMap<>(Map.of("service.name", "test-service", "service.version", "1.0.0"));
        s.scopeName = "test-scope";
        s.scopeVersion = "1.0.0";
        s.name = "test-span";
        s.kind = "SERVER";
        s.attributes.put("http.method", "GET");
        s.attributes.put("http.url", "http://example.com/test");
        s.attributes.put("http.status_code", "200");
        s.events.add(new SpanEvent(T0, "test-event", new HashMap<>(Map.of("event.attr", "value"))));
        return List.of(s);
    }

    static TraceData data(List<Span> spans) {
        return new TraceData(TRACE_ID, spans, 0);
    }

    static TraceData data(List<Span> spans, long nowMillis) {
        return new TraceData(TRACE_ID, spans, nowMillis);
    }
}
