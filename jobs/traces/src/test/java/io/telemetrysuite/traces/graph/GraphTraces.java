package io.telemetrysuite.traces.graph;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.otlp.OtlpDecoder;
import io.telemetrysuite.otlp.OtlpMapper;
import io.telemetrysuite.testing.OtlpFixtures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Traces for the service-graph tests: spans written by hand, or made by the OpenTelemetry SDK and decoded as ingest does. */
final class GraphTraces {
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final long MS = 1_000_000L;
    /** 2026-01-01T00:00:00Z. */
    static final long T0 = OtlpFixtures.BASE_EPOCH_NANOS;

    private GraphTraces() {}

    static Span span(String service, String kind, String spanId, String parentSpanId, long startMs, long endMs) {
        Span s = new Span();
        s.traceId = TRACE_ID;
        s.spanId = spanId;
        s.parentSpanId = parentSpanId;
        s.name = kind.toLowerCase() + " " + spanId;
        s.kind = kind;
        s.serviceName = service;
        s.resourceAttributes.put("service.name", service);
        s.startTimeUnixNano = T0 + startMs * MS;
        s.endTimeUnixNano = T0 + endMs * MS;
        return s;
    }

    static Span error(Span s) {
        s.statusCode = "ERROR";
        return s;
    }

    static Span with(Span s, String attribute, String value) {
        s.attributes.put(attribute, value);
        return s;
    }

    static Trace trace(Span... spans) {
        return trace(List.of(spans));
    }

    static Trace trace(List<Span> spans) {
        Trace t = new Trace();
        t.traceId = spans.isEmpty() ? TRACE_ID : spans.get(0).traceId;
        t.spans = new ArrayList<>(spans);
        t.spanCount = spans.size();
        for (Span s : spans) {
            if (t.startTimeUnixNano == 0 || s.startTimeUnixNano < t.startTimeUnixNano) t.startTimeUnixNano = s.startTimeUnixNano;
            t.endTimeUnixNano = Math.max(t.endTimeUnixNano, s.endTimeUnixNano);
            t.error |= s.isError();
            if (s.isRoot()) {
                t.rootServiceName = s.serviceName;
                t.rootName = s.name;
            }
        }
        t.rootMissing = spans.stream().noneMatch(Span::isRoot);
        t.durationNanos = t.endTimeUnixNano - t.startTimeUnixNano;
        return t;
    }

    /** SDK spans through the SDK's OTLP marshaler and our decoder, as ingest turns them into events. */
    static List<Span> decode(Collection<SpanData> sdkSpans) throws Exception {
        ExportTraceServiceRequest request = OtlpDecoder.decodeTraces(OtlpFixtures.traceRequestProto(sdkSpans));
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
                    spans.add(OtlpMapper.toSpan(rs.getResource(), ss.getScope(), span));
                }
            }
        }
        return spans;
    }

    /** {@link OtlpFixtures#checkoutTrace} as an assembled trace. */
    static Trace checkout(int traceNumber, long startEpochNanos, boolean paymentFails) throws Exception {
        return trace(decode(OtlpFixtures.checkoutTrace(traceNumber, startEpochNanos, paymentFails)));
    }

    /** An edge as text: "client -> server type requests=N failed=N". */
    static String describe(io.telemetrysuite.model.ServiceGraphEdge e) {
        return e.client + " -> " + e.server + (e.connectionType.isEmpty() ? "" : " " + e.connectionType)
                + " requests=" + e.requests + " failed=" + e.failed;
    }
}
