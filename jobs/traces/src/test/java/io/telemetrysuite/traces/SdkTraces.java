package io.telemetrysuite.traces;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.otlp.OtlpDecoder;
import io.telemetrysuite.otlp.OtlpMapper;
import io.telemetrysuite.testing.OtlpFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Spans of the OpenTelemetry SDK's traces ({@link OtlpFixtures#checkoutTrace}) as the ingest job emits
 * them: marshalled by the SDK's OTLP exporter code, decoded and mapped by the suite's own decoder.
 *
 * <p>A checkout trace has 6 spans (frontend GET /checkout 0–120 ms, frontend POST /api/checkout 5–115,
 * checkout POST /api/checkout 10–110, checkout SELECT orders 15–35, checkout POST /charge 40–100,
 * payment POST /charge 45–95), exported in the order they end.
 */
final class SdkTraces {
    static final long MS = OtlpFixtures.MILLI;
    static final String ROOT = "GET /checkout";
    static final String SELECT = "SELECT orders";

    private SdkTraces() {}

    static List<Span> checkout(int traceNumber, long startEpochNanos, boolean paymentFails) {
        return decode(OtlpFixtures.checkoutTrace(traceNumber, startEpochNanos, paymentFails));
    }

    static List<Span> decode(List<SpanData> spans) {
        try {
            ExportTraceServiceRequest request = OtlpDecoder.decodeTraces(OtlpFixtures.traceRequestProto(spans));
            List<Span> out = new ArrayList<>();
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
                        out.add(OtlpMapper.toSpan(rs.getResource(), ss.getScope(), span));
                    }
                }
            }
            // The request groups spans by resource; the SDK ended them in this order.
            out.sort(java.util.Comparator.comparingLong(s -> s.endTimeUnixNano));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Span> without(List<Span> spans, Predicate<Span> drop) {
        return spans.stream().filter(drop.negate()).toList();
    }

    static Span named(List<Span> spans, String name) {
        return spans.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }
}
