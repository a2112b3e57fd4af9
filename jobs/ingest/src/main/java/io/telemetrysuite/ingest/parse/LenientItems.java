package io.telemetrysuite.ingest.parse;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.otlp.AnyValues;
import io.telemetrysuite.otlp.Hex;
import java.util.List;

/**
 * Best-effort model objects for items the mapper refused (a bad id, a point without a value), so
 * their dead letters carry the item as redacted suite JSON, like every other rejected item, instead
 * of protobuf bytes in which a named attribute could not be redacted.
 */
final class LenientItems {
    private LenientItems() {}

    static Span span(Resource resource, io.opentelemetry.proto.trace.v1.Span proto) {
        Span span = new Span();
        span.traceId = Hex.encode(proto.getTraceId());
        span.spanId = Hex.encode(proto.getSpanId());
        span.parentSpanId = Hex.encode(proto.getParentSpanId());
        span.name = proto.getName();
        span.startTimeUnixNano = proto.getStartTimeUnixNano();
        span.endTimeUnixNano = proto.getEndTimeUnixNano();
        span.attributes = AnyValues.render(proto.getAttributesList());
        span.resourceAttributes = AnyValues.render(resource.getAttributesList());
        span.serviceName = span.resourceAttributes.getOrDefault("service.name", "");
        return span;
    }

    static LogRecord log(Resource resource, io.opentelemetry.proto.logs.v1.LogRecord proto) {
        LogRecord log = new LogRecord();
        log.traceId = Hex.encode(proto.getTraceId());
        log.spanId = Hex.encode(proto.getSpanId());
        log.timeUnixNano = proto.getTimeUnixNano();
        log.observedTimeUnixNano = proto.getObservedTimeUnixNano();
        log.severityText = proto.getSeverityText();
        log.body = AnyValues.render(proto.getBody());
        log.attributes = AnyValues.render(proto.getAttributesList());
        log.resourceAttributes = AnyValues.render(resource.getAttributesList());
        log.serviceName = log.resourceAttributes.getOrDefault("service.name", "");
        return log;
    }

    static MetricPoint metric(Resource resource, Metric metric, List<KeyValue> pointAttributes) {
        MetricPoint point = new MetricPoint();
        point.metricName = metric.getName();
        point.type = metric.getDataCase().name();
        point.attributes = AnyValues.render(pointAttributes);
        point.resourceAttributes = AnyValues.render(resource.getAttributesList());
        point.serviceName = point.resourceAttributes.getOrDefault("service.name", "");
        return point;
    }

    /** The attributes of data point {@code index}, whatever the metric's type. */
    static List<KeyValue> pointAttributes(Metric metric, int index) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPoints(index).getAttributesList();
            case SUM -> metric.getSum().getDataPoints(index).getAttributesList();
            case HISTOGRAM -> metric.getHistogram().getDataPoints(index).getAttributesList();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPoints(index).getAttributesList();
            case SUMMARY -> metric.getSummary().getDataPoints(index).getAttributesList();
            default -> List.of();
        };
    }
}
