package io.telemetrysuite.cep.rule;

import io.telemetrysuite.flink.EventTime;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields a rule can name for each signal, their types, and how to read them off an event: the
 * one catalog that the rule validator checks names against and the compiled patterns read through.
 *
 * <p>Field names are the event model's JSON names ({@code durationMs}, {@code serviceName}), plus a
 * few that rules need and the model only implies: {@code name} (span or metric name), {@code status}
 * ({@code ok}, {@code error} or {@code unset}), {@code durationMs} of a span, {@code cpuPercent} of a
 * system sample, {@code errorRate} of an aggregate. An aggregate's own signal is {@code source}, since
 * {@code signal} in a {@code match} selects the event type.
 *
 * <p>Attributes ({@link #attribute}) are looked up on the event, then on its resource, then as the
 * semantic-convention name of a typed field ({@code service.name}, {@code host.name}, ...), and last
 * as a field name, so {@code by: [host]} and {@code by: [host.name]} both key system samples by host.
 */
public final class EventFields {
    private record Field(FieldType type, Function<Object, Object> reader) {}

    private static final Map<Signal, Map<String, Field>> FIELDS = new EnumMap<>(Signal.class);
    /** Semantic-convention attribute names of typed model fields. */
    private static final Map<String, String> ATTRIBUTE_ALIASES = Map.of(
            "service.name", "serviceName",
            "host.name", "host",
            "http.route", "route",
            "tenant.id", "tenant",
            "gen_ai.request.model", "model",
            "gen_ai.system", "provider",
            "gen_ai.operation.name", "operation",
            "user.id", "user");

    static {
        Map<String, Field> span = new LinkedHashMap<>();
        string(span, "name", (Span s) -> s.name);
        string(span, "kind", (Span s) -> s.kind);
        string(span, "status", (Span s) -> s.statusCode.toLowerCase(Locale.ROOT));
        string(span, "statusMessage", (Span s) -> s.statusMessage);
        string(span, "serviceName", (Span s) -> s.serviceName);
        string(span, "traceId", (Span s) -> s.traceId);
        string(span, "spanId", (Span s) -> s.spanId);
        string(span, "parentSpanId", (Span s) -> s.parentSpanId);
        string(span, "scopeName", (Span s) -> s.scopeName);
        number(span, "durationMs", (Span s) -> s.durationNanos() / 1e6);
        number(span, "adjustedCount", (Span s) -> s.adjustedCount);
        string(span, "sampledBy", (Span s) -> s.sampledBy);
        FIELDS.put(Signal.SPAN, span);

        Map<String, Field> metric = new LinkedHashMap<>();
        string(metric, "name", (MetricPoint m) -> m.metricName);
        string(metric, "type", (MetricPoint m) -> m.type);
        string(metric, "unit", (MetricPoint m) -> m.unit);
        string(metric, "serviceName", (MetricPoint m) -> m.serviceName);
        string(metric, "scopeName", (MetricPoint m) -> m.scopeName);
        number(metric, "value", (MetricPoint m) -> m.value);
        number(metric, "count", (MetricPoint m) -> (double) m.count);
        number(metric, "sum", (MetricPoint m) -> m.sum);
        number(metric, "min", (MetricPoint m) -> m.hasMin ? m.min : null);
        number(metric, "max", (MetricPoint m) -> m.hasMax ? m.max : null);
        bool(metric, "monotonic", (MetricPoint m) -> m.monotonic);
        FIELDS.put(Signal.METRIC, metric);

        Map<String, Field> log = new LinkedHashMap<>();
        string(log, "severityText", (LogRecord l) -> l.severityText);
        number(log, "severityNumber", (LogRecord l) -> (double) l.severityNumber);
        string(log, "body", (LogRecord l) -> l.body);
        string(log, "eventName", (LogRecord l) -> l.eventName);
        string(log, "serviceName", (LogRecord l) -> l.serviceName);
        string(log, "scopeName", (LogRecord l) -> l.scopeName);
        string(log, "traceId", (LogRecord l) -> l.traceId);
        string(log, "spanId", (LogRecord l) -> l.spanId);
        FIELDS.put(Signal.LOG, log);

        Map<String, Field> workload = new LinkedHashMap<>();
        string(workload, "tenant", (WorkloadRecord w) -> w.tenant);
        string(workload, "user", (WorkloadRecord w) -> w.user);
        string(workload, "requestId", (WorkloadRecord w) -> w.requestId);
        string(workload, "route", (WorkloadRecord w) -> w.route);
        string(workload, "method", (WorkloadRecord w) -> w.method);
        string(workload, "serviceName", (WorkloadRecord w) -> w.serviceName);
        string(workload, "status", (WorkloadRecord w) -> w.isError() ? "error" : "ok");
        string(workload, "errorMessage", (WorkloadRecord w) -> w.errorMessage);
        number(workload, "statusCode", (WorkloadRecord w) -> (double) w.statusCode);
        number(workload, "durationMs", (WorkloadRecord w) -> w.durationMs);
        number(workload, "contextSize", (WorkloadRecord w) -> (double) w.contextSize);
        number(workload, "memoryBytes", (WorkloadRecord w) -> (double) w.memoryBytes);
        number(workload, "cpuPercent", (WorkloadRecord w) -> w.cpuPercent);
        number(workload, "responseSizeBytes", (WorkloadRecord w) -> (double) w.responseSizeBytes);
        FIELDS.put(Signal.WORKLOAD, workload);

        Map<String, Field> system = new LinkedHashMap<>();
        string(system, "host", (SystemSample s) -> s.host);
        number(system, "cpuPercent", (SystemSample s) -> s.cpuPercent());
        number(system, "memoryUsedBytes", (SystemSample s) -> (double) s.memoryUsedBytes);
        number(system, "memoryTotalBytes", (SystemSample s) -> (double) s.memoryTotalBytes);
        number(system, "memoryPercent", (SystemSample s) -> s.memoryTotalBytes == 0 ? null : 100.0 * s.memoryUsedBytes / s.memoryTotalBytes);
        number(system, "cacheMisses", (SystemSample s) -> (double) s.cacheMisses);
        number(system, "diskReadBytesPerSec", (SystemSample s) -> s.diskReadBytesPerSec);
        number(system, "diskWriteBytesPerSec", (SystemSample s) -> s.diskWriteBytesPerSec);
        number(system, "networkRxBytesPerSec", (SystemSample s) -> s.networkRxBytesPerSec);
        number(system, "networkTxBytesPerSec", (SystemSample s) -> s.networkTxBytesPerSec);
        number(system, "queueDepth", (SystemSample s) -> (double) s.queueDepth);
        FIELDS.put(Signal.SYSTEM, system);

        Map<String, Field> inference = new LinkedHashMap<>();
        string(inference, "host", (InferenceSample i) -> i.host);
        string(inference, "tenant", (InferenceSample i) -> i.tenant);
        string(inference, "requestId", (InferenceSample i) -> i.requestId);
        string(inference, "model", (InferenceSample i) -> i.model);
        string(inference, "provider", (InferenceSample i) -> i.provider);
        string(inference, "operation", (InferenceSample i) -> i.operation);
        string(inference, "errorType", (InferenceSample i) -> i.errorType);
        string(inference, "status", (InferenceSample i) -> i.errorType == null || i.errorType.isEmpty() ? "ok" : "error");
        number(inference, "inputTokens", (InferenceSample i) -> (double) i.inputTokens);
        number(inference, "outputTokens", (InferenceSample i) -> (double) i.outputTokens);
        number(inference, "tokensPerSecond", (InferenceSample i) -> i.tokensPerSecond);
        number(inference, "timeToFirstTokenMs", (InferenceSample i) -> i.timeToFirstTokenMs);
        number(inference, "durationMs", (InferenceSample i) -> i.durationMs);
        number(inference, "energyJoules", (InferenceSample i) -> i.energyJoules);
        FIELDS.put(Signal.INFERENCE, inference);

        Map<String, Field> aggregate = new LinkedHashMap<>();
        string(aggregate, "resolution", (Aggregate a) -> a.resolution);
        string(aggregate, "source", (Aggregate a) -> a.signal);
        string(aggregate, "serviceName", (Aggregate a) -> a.serviceName);
        string(aggregate, "spanName", (Aggregate a) -> a.spanName);
        string(aggregate, "route", (Aggregate a) -> a.route);
        string(aggregate, "kind", (Aggregate a) -> a.kind);
        string(aggregate, "tenant", (Aggregate a) -> a.tenant);
        string(aggregate, "host", (Aggregate a) -> a.host);
        string(aggregate, "model", (Aggregate a) -> a.model);
        string(aggregate, "metricName", (Aggregate a) -> a.metricName);
        string(aggregate, "metricType", (Aggregate a) -> a.metricType);
        number(aggregate, "count", (Aggregate a) -> a.count);
        number(aggregate, "errorCount", (Aggregate a) -> a.errorCount);
        number(aggregate, "errorRate", (Aggregate a) -> a.count == 0 ? null : a.errorCount / a.count);
        number(aggregate, "successCount", (Aggregate a) -> a.successCount);
        number(aggregate, "ratePerSecond", (Aggregate a) -> a.ratePerSecond);
        number(aggregate, "p50Ms", (Aggregate a) -> a.p50Ms);
        number(aggregate, "p90Ms", (Aggregate a) -> a.p90Ms);
        number(aggregate, "p95Ms", (Aggregate a) -> a.p95Ms);
        number(aggregate, "p99Ms", (Aggregate a) -> a.p99Ms);
        number(aggregate, "maxMs", (Aggregate a) -> a.maxMs);
        number(aggregate, "avgMs", (Aggregate a) -> a.avgMs);
        number(aggregate, "avgMemoryBytes", (Aggregate a) -> a.avgMemoryBytes);
        number(aggregate, "avgCpuPercent", (Aggregate a) -> a.avgCpuPercent);
        number(aggregate, "maxCpuPercent", (Aggregate a) -> a.maxCpuPercent);
        number(aggregate, "maxMemoryBytes", (Aggregate a) -> a.maxMemoryBytes);
        number(aggregate, "tokensPerSecond", (Aggregate a) -> a.tokensPerSecond);
        number(aggregate, "p95TimeToFirstTokenMs", (Aggregate a) -> a.p95TimeToFirstTokenMs);
        number(aggregate, "energyPerTokenJoules", (Aggregate a) -> a.energyPerTokenJoules);
        number(aggregate, "last", (Aggregate a) -> a.last);
        number(aggregate, "avg", (Aggregate a) -> a.avg);
        number(aggregate, "max", (Aggregate a) -> a.max);
        number(aggregate, "sum", (Aggregate a) -> a.sum);
        bool(aggregate, "update", (Aggregate a) -> a.update);
        FIELDS.put(Signal.AGGREGATE, aggregate);
    }

    private EventFields() {}

    /** The field names of {@code signal}, in catalog order. */
    public static Set<String> names(Signal signal) {
        return Collections.unmodifiableSet(FIELDS.get(signal).keySet());
    }

    /** The type of {@code field} on {@code signal}'s events, or null when there is no such field. */
    public static FieldType type(Signal signal, String field) {
        Field f = FIELDS.get(signal).get(field);
        return f == null ? null : f.type();
    }

    /**
     * The value of {@code field} on {@code event}, a {@link Double}, {@link String} or {@link Boolean}
     * as {@link #type} says, or null when the event has no value for it (a histogram's absent min).
     */
    public static Object value(Signal signal, Object event, String field) {
        Field f = FIELDS.get(signal).get(field);
        if (f == null) throw new IllegalArgumentException("no field " + field + " on " + signal.yamlName() + " events");
        return f.reader().apply(event);
    }

    /** The event time of {@code event} in epoch ms: a span's start, a metric point's or log's time, an aggregate's window end - 1. */
    public static long timestampMillis(Signal signal, Object event) {
        return switch (signal) {
            case SPAN -> EventTime.of((Span) event);
            case METRIC -> EventTime.of((MetricPoint) event);
            case LOG -> EventTime.of((LogRecord) event);
            case WORKLOAD -> EventTime.of((WorkloadRecord) event);
            case SYSTEM -> EventTime.of((SystemSample) event);
            case INFERENCE -> EventTime.of((InferenceSample) event);
            case AGGREGATE -> EventTime.of((Aggregate) event);
        };
    }

    /**
     * The attribute {@code name} of {@code event}: its own attributes (an aggregate's labels), then its
     * resource's, then the typed field the semantic-convention name stands for, then the field of that
     * name; null when none has it.
     */
    public static String attribute(Signal signal, Object event, String name) {
        Map<String, String> own = switch (signal) {
            case SPAN -> ((Span) event).attributes;
            case METRIC -> ((MetricPoint) event).attributes;
            case LOG -> ((LogRecord) event).attributes;
            case AGGREGATE -> ((Aggregate) event).labels;
            default -> null;
        };
        if (own != null && own.get(name) != null) return own.get(name);
        Map<String, String> resource = switch (signal) {
            case SPAN -> ((Span) event).resourceAttributes;
            case METRIC -> ((MetricPoint) event).resourceAttributes;
            case LOG -> ((LogRecord) event).resourceAttributes;
            default -> null;
        };
        if (resource != null && resource.get(name) != null) return resource.get(name);
        String field = ATTRIBUTE_ALIASES.getOrDefault(name, name);
        Field f = FIELDS.get(signal).get(field);
        if (f == null) return null;
        Object value = f.reader().apply(event);
        if (value == null) return null;
        return value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> void string(Map<String, Field> fields, String name, Function<T, String> reader) {
        fields.put(name, new Field(FieldType.STRING, e -> reader.apply((T) e)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void number(Map<String, Field> fields, String name, Function<T, Double> reader) {
        fields.put(name, new Field(FieldType.NUMBER, e -> reader.apply((T) e)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void bool(Map<String, Field> fields, String name, Function<T, Boolean> reader) {
        fields.put(name, new Field(FieldType.BOOLEAN, e -> reader.apply((T) e)));
    }
}
