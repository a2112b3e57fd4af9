package io.telemetrysuite.generator;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The valid records of a generated stream, decoded, for assertions. */
final class Decoded {
    /** A span with its resource, flattened for assertions. */
    record ResourcedSpan(Resource resource, Span span) {
        String attr(String key) {
            return Decoded.attr(span.getAttributesList(), key);
        }

        String service() {
            return Decoded.attr(resource.getAttributesList(), "service.name");
        }

        boolean isRoot() {
            return span.getParentSpanId().isEmpty();
        }

        double durationMs() {
            return (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6;
        }
    }

    final List<ResourcedSpan> spans = new ArrayList<>();
    final List<ExportTraceServiceRequest> traceRequests = new ArrayList<>();
    final List<io.opentelemetry.proto.logs.v1.LogRecord> logs = new ArrayList<>();
    final List<Metric> metrics = new ArrayList<>();
    final List<ResourceMetrics> resourceMetrics = new ArrayList<>();
    final List<WorkloadRecord> workload = new ArrayList<>();
    final List<SystemSample> system = new ArrayList<>();
    final List<InferenceSample> inference = new ArrayList<>();
    final List<GeneratedRecord> malformed = new ArrayList<>();

    static Decoded of(List<GeneratedRecord> records) {
        Decoded d = new Decoded();
        for (GeneratedRecord r : records) d.add(r);
        return d;
    }

    void add(GeneratedRecord r) {
        if (r.isMalformed()) {
            malformed.add(r);
            return;
        }
        try {
            switch (r.topic) {
                case "otlp_spans": {
                    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(r.value);
                    traceRequests.add(req);
                    for (ResourceSpans rs : req.getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span s : ss.getSpansList()) spans.add(new ResourcedSpan(rs.getResource(), s));
                        }
                    }
                    break;
                }
                case "otlp_logs":
                    for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(r.value).getResourceLogsList()) {
                        for (ScopeLogs sl : rl.getScopeLogsList()) logs.addAll(sl.getLogRecordsList());
                    }
                    break;
                case "otlp_metrics":
                    for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(r.value).getResourceMetricsList()) {
                        resourceMetrics.add(rm);
                        for (ScopeMetrics sm : rm.getScopeMetricsList()) metrics.addAll(sm.getMetricsList());
                    }
                    break;
                case "telemetry_records": {
                    JsonNode tree = EventJson.mapper().readTree(r.value);
                    String signal = tree.fields().next().getValue().asText();
                    switch (signal) {
                        case "workload": workload.add(EventJson.fromBytes(r.value, WorkloadRecord.class)); break;
                        case "system": system.add(EventJson.fromBytes(r.value, SystemSample.class)); break;
                        case "inference": inference.add(EventJson.fromBytes(r.value, InferenceSample.class)); break;
                        default: throw new AssertionError("unknown signal " + signal);
                    }
                    break;
                }
                default:
                    throw new AssertionError("unknown topic " + r.topic);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("valid record did not decode: " + r, e);
        }
    }

    long metricPoints() {
        long n = 0;
        for (Metric m : metrics) {
            n += m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount()
                    + m.getHistogram().getDataPointsCount() + m.getExponentialHistogram().getDataPointsCount();
        }
        return n;
    }

    static String attr(List<KeyValue> kvs, String key) {
        for (KeyValue kv : kvs) {
            if (kv.getKey().equals(key)) {
                return kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue();
            }
        }
        return null;
    }

    static List<GeneratedRecord> run(SyntheticWorkload w, long fromMillis, long toMillis) {
        List<GeneratedRecord> out = new ArrayList<>();
        for (long t = fromMillis; t < toMillis; t += w.config().tickMillis) out.addAll(w.tick(t));
        return out;
    }
}
