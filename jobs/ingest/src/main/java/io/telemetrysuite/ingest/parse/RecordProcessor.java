package io.telemetrysuite.ingest.parse;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.privacy.Redactor;
import io.telemetrysuite.ingest.validate.ConventionValidator;
import io.telemetrysuite.ingest.validate.Signal;
import io.telemetrysuite.ingest.validate.ValidationResult;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.otlp.OtlpDecodeException;
import io.telemetrysuite.otlp.OtlpDecoder;
import io.telemetrysuite.otlp.OtlpMapper;
import io.telemetrysuite.records.SuiteRecordDecoder;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns one raw record into accepted events and dead letters: decode, check what the suite needs to
 * interpret an item (ids, timestamps), validate against the conventions registry, redact, emit.
 *
 * <p>Plain Java on purpose: the Flink operator ({@link RecordParser}) and the benchmark's baseline
 * loop run exactly this code, so the benchmark's ratio measures Flink's overhead and nothing else.
 * Not thread-safe: one instance per task.
 *
 * <p>Counting contract: every item (span, metric point, log record, suite record) counts once as
 * received; a record that cannot be decoded at all counts once, as one dead letter. Then every
 * received unit ends as exactly one accepted event or one dead letter (sampling happens later).
 */
public final class RecordProcessor {
    /** Where the results go; the Flink operator maps these to outputs, side outputs and counters. */
    public interface Output {
        void span(Span span);

        void metric(MetricPoint point);

        void log(LogRecord log);

        void workload(WorkloadRecord record);

        void system(SystemSample sample);

        void inference(InferenceSample sample);

        void deadLetter(DeadLetter deadLetter);

        void received(long count);

        /** A convention rule the item violated with policy {@code tag}: the item is still accepted. */
        void violation(String ruleId);
    }

    private final OtlpDecoder decoder = new OtlpDecoder();
    private final SuiteRecordDecoder records = new SuiteRecordDecoder();
    private final ConventionValidator validator;
    private final Redactor redactor;
    private final long maxFutureSkewNanos;
    private final LongSupplier nowMillis;

    public RecordProcessor(IngestConfig config, IngestPolicies policies, LongSupplier nowMillis) {
        this.validator = new ConventionValidator(policies.registry());
        this.redactor = policies.newRedactor();
        this.maxFutureSkewNanos = config.maxFutureSkew.toNanos();
        this.nowMillis = nowMillis;
    }

    public void process(RawRecord raw, Output out) {
        if (raw.payload == null || raw.payload.length == 0) {
            out.received(1);
            out.deadLetter(deadLetter(raw, "unknown", DeadLetterReason.EMPTY_RECORD, "record has no bytes", raw.payload));
            return;
        }
        try {
            if (OtlpDecoder.looksLikeJson(raw.payload)) {
                processJson(raw, out);
            } else {
                switch (raw.encoding) {
                    case RawRecord.Encoding.OTLP_PROTO_METRICS -> processMetrics(raw, decoder.metricsFromProtobuf(raw.payload), out);
                    case RawRecord.Encoding.OTLP_PROTO_LOGS -> processLogs(raw, decoder.logsFromProtobuf(raw.payload), out);
                    case RawRecord.Encoding.JSON -> throw new OtlpDecodeException(DeadLetterReason.INVALID_JSON,
                            "expected a JSON object, the first byte is 0x" + Integer.toHexString(raw.payload[0] & 0xff));
                    default -> processTraces(raw, decoder.tracesFromProtobuf(raw.payload), out);
                }
            }
        } catch (OtlpDecodeException e) {
            out.received(1);
            out.deadLetter(deadLetter(raw, e.signal(), e.reason(), e.getMessage(), redactor.maskRaw(raw.payload)));
        }
    }

    private void processJson(RawRecord raw, Output out) throws OtlpDecodeException {
        OtlpDecoder.JsonDocument document = decoder.parseJson(raw.payload);
        switch (document.kind()) {
            case TRACES -> processTraces(raw, decoder.tracesFromJson(document), out);
            case METRICS -> processMetrics(raw, decoder.metricsFromJson(document), out);
            case LOGS -> processLogs(raw, decoder.logsFromJson(document), out);
            case SUITE_RECORD -> processSuiteRecord(raw, records.decode(document.tree()), out);
        }
    }

    private void processTraces(RawRecord raw, ExportTraceServiceRequest request, Output out) {
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = resourceSpans.getResource();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                InstrumentationScope scope = scopeSpans.getScope();
                for (io.opentelemetry.proto.trace.v1.Span proto : scopeSpans.getSpansList()) {
                    out.received(1);
                    Span span = OtlpMapper.toSpan(resource, scope, proto);
                    String problem = spanProblem(proto, nowNanos);
                    ValidationResult result = problem == null
                            ? validator.validate(Signal.SPAN, proto.getAttributesList(), resource.getAttributesList(), span.kind)
                            : null;
                    if (problem == null && !result.isRejected()) {
                        tag(result, span.violations, out);
                        redactor.redact(span);
                        out.span(span);
                    } else {
                        redactor.redact(span);
                        reject(raw, "span", problem, result, span, out);
                    }
                }
            }
        }
    }

    private void processMetrics(RawRecord raw, ExportMetricsServiceRequest request, Output out) {
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Resource resource = resourceMetrics.getResource();
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                InstrumentationScope scope = scopeMetrics.getScope();
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    List<OtlpMapper.MappedPoint> points = OtlpMapper.toMetricPoints(resource, scope, metric);
                    if (points.isEmpty()) {
                        // A metric without data points still arrived: account for it rather than lose it silently.
                        out.received(1);
                        MetricPoint empty = OtlpMapper.metricHeader(resource, scope, metric);
                        reject(raw, "metric", DeadLetterReason.MISSING_REQUIRED_FIELD + ":metric " + quote(metric.getName()) + " has no data points",
                                null, empty, out);
                        continue;
                    }
                    for (OtlpMapper.MappedPoint mapped : points) {
                        out.received(1);
                        MetricPoint point = mapped.point();
                        String problem = metric.getName().isEmpty()
                                ? DeadLetterReason.MISSING_REQUIRED_FIELD + ":metric has no name"
                                : timeProblem(point.timeUnixNano, nowNanos, "point");
                        ValidationResult result = problem == null
                                ? validator.validate(Signal.METRIC, mapped.attributes(), resource.getAttributesList(), null)
                                : null;
                        if (problem == null && !result.isRejected()) {
                            tag(result, point.violations, out);
                            redactor.redact(point);
                            out.metric(point);
                        } else {
                            redactor.redact(point);
                            reject(raw, "metric", problem, result, point, out);
                        }
                    }
                }
            }
        }
    }

    private void processLogs(RawRecord raw, ExportLogsServiceRequest request, Output out) {
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Resource resource = resourceLogs.getResource();
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                InstrumentationScope scope = scopeLogs.getScope();
                for (io.opentelemetry.proto.logs.v1.LogRecord proto : scopeLogs.getLogRecordsList()) {
                    out.received(1);
                    LogRecord log = OtlpMapper.toLog(resource, scope, proto);
                    String problem = logProblem(proto, nowNanos);
                    ValidationResult result = problem == null
                            ? validator.validate(Signal.LOG, proto.getAttributesList(), resource.getAttributesList(), null)
                            : null;
                    if (problem == null && !result.isRejected()) {
                        tag(result, log.violations, out);
                        redactor.redact(log);
                        out.log(log);
                    } else {
                        redactor.redact(log);
                        reject(raw, "log", problem, result, log, out);
                    }
                }
            }
        }
    }

    private void processSuiteRecord(RawRecord raw, Object record, Output out) {
        out.received(1);
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        if (record instanceof WorkloadRecord workload) {
            String problem = suiteProblem(workload.timestampMillis, nowNanos, "tenant", workload.tenant);
            redactor.redact(workload);
            if (problem == null) out.workload(workload);
            else reject(raw, "workload", problem, null, workload, out);
        } else if (record instanceof SystemSample system) {
            String problem = suiteProblem(system.timestampMillis, nowNanos, "host", system.host);
            redactor.redact(system);
            if (problem == null) out.system(system);
            else reject(raw, "system", problem, null, system, out);
        } else if (record instanceof InferenceSample inference) {
            String problem = suiteProblem(inference.timestampMillis, nowNanos, "model", inference.model);
            redactor.redact(inference);
            if (problem == null) out.inference(inference);
            else reject(raw, "inference", problem, null, inference, out);
        } else {
            throw new IllegalStateException("SuiteRecordDecoder returned " + record);
        }
    }

    // ---- what the suite cannot interpret: problems are "reason:message" so one string carries both

    private String spanProblem(io.opentelemetry.proto.trace.v1.Span span, long nowNanos) {
        if (!isValidId(span.getTraceId(), 16)) {
            return DeadLetterReason.INVALID_TRACE_ID + ":trace id must be 16 bytes, not all zero; got " + describeId(span.getTraceId());
        }
        if (!isValidId(span.getSpanId(), 8)) {
            return DeadLetterReason.INVALID_SPAN_ID + ":span id must be 8 bytes, not all zero; got " + describeId(span.getSpanId());
        }
        if (!span.getParentSpanId().isEmpty() && !isValidId(span.getParentSpanId(), 8)) {
            return DeadLetterReason.INVALID_SPAN_ID + ":parent span id must be empty or 8 bytes, not all zero; got " + describeId(span.getParentSpanId());
        }
        if (span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() == 0) {
            return DeadLetterReason.MISSING_TIMESTAMP + ":span has no " + (span.getStartTimeUnixNano() == 0 ? "start" : "end") + " time";
        }
        if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
            return DeadLetterReason.INVALID_TIME_RANGE + ":span ends " + (span.getStartTimeUnixNano() - span.getEndTimeUnixNano()) + " ns before it starts";
        }
        return timeProblem(span.getStartTimeUnixNano(), nowNanos, "span start");
    }

    private String logProblem(io.opentelemetry.proto.logs.v1.LogRecord log, long nowNanos) {
        if (!log.getTraceId().isEmpty() && !isValidId(log.getTraceId(), 16)) {
            return DeadLetterReason.INVALID_TRACE_ID + ":log trace id must be empty or 16 bytes; got " + describeId(log.getTraceId());
        }
        if (!log.getSpanId().isEmpty() && !isValidId(log.getSpanId(), 8)) {
            return DeadLetterReason.INVALID_SPAN_ID + ":log span id must be empty or 8 bytes; got " + describeId(log.getSpanId());
        }
        long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
        return timeProblem(time, nowNanos, "log");
    }

    private String suiteProblem(long timestampMillis, long nowNanos, String keyField, String key) {
        if (key == null || key.isEmpty()) {
            return DeadLetterReason.MISSING_REQUIRED_FIELD + ":field " + keyField + " is missing or empty";
        }
        return timeProblem(timestampMillis * 1_000_000L, nowNanos, "record");
    }

    private String timeProblem(long timeNanos, long nowNanos, String what) {
        if (timeNanos <= 0) return DeadLetterReason.MISSING_TIMESTAMP + ":" + what + " has no timestamp";
        if (timeNanos > nowNanos + maxFutureSkewNanos) {
            return DeadLetterReason.TIMESTAMP_IN_FUTURE + ":" + what + " time is " + (timeNanos - nowNanos) / 1_000_000_000L
                    + " s in the future (limit " + maxFutureSkewNanos / 1_000_000_000L + " s)";
        }
        return null;
    }

    private static boolean isValidId(ByteString id, int length) {
        if (id.size() != length) return false;
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) return true;
        }
        return false;
    }

    private static String describeId(ByteString id) {
        return id.isEmpty() ? "none" : id.size() + " bytes";
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    // ---- outcomes

    private static void tag(ValidationResult result, List<String> violations, Output out) {
        if (result.isValid()) return;
        result.addTaggedRuleIdsTo(violations);
        for (String ruleId : violations) out.violation(ruleId);
    }

    /** Dead-letters one item: {@code problem} ("reason:message") or the validator's rejecting rule. */
    private void reject(RawRecord raw, String signal, String problem, ValidationResult result, Object redactedItem, Output out) {
        String reason;
        String message;
        if (problem != null) {
            int colon = problem.indexOf(':');
            reason = problem.substring(0, colon);
            message = problem.substring(colon + 1);
        } else {
            reason = result.rejectReason();
            message = result.rejectMessage();
        }
        // The item, redacted, as the suite's JSON: replayable, and nothing the policy hides leaks here.
        out.deadLetter(deadLetter(raw, signal, reason, message, EventJson.toBytes(redactedItem)));
    }

    private DeadLetter deadLetter(RawRecord raw, String signal, String reason, String message, byte[] bytes) {
        return new DeadLetter(reason, message, raw.describeSource(), signal, bytes == null ? new byte[0] : bytes, nowMillis.getAsLong());
    }

}
