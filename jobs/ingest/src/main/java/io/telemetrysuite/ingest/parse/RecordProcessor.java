package io.telemetrysuite.ingest.parse;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.privacy.Redactor;
import io.telemetrysuite.ingest.sample.SpanEnvelope;
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
import io.telemetrysuite.otlp.Hex;
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

        /** A valid span to be sampled before it is mapped (only when the processor defers spans). */
        void spanEnvelope(SpanEnvelope span);

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

    private final ConventionValidator validator;
    private final Redactor redactor;
    private final long maxFutureSkewNanos;
    private final LongSupplier nowMillis;
    /** With sampling on, spans leave as envelopes and only kept ones are mapped and redacted, after the sampler. */
    private final boolean deferSpans;

    public RecordProcessor(IngestConfig config, IngestPolicies policies, LongSupplier nowMillis) {
        this.deferSpans = config.sampling.enabled;
        this.validator = new ConventionValidator(policies.registry());
        this.redactor = policies.newRedactor();
        this.maxFutureSkewNanos = config.maxFutureSkew.toNanos();
        this.nowMillis = nowMillis;
    }

    public void process(RawRecord raw, Output out) {
        try {
            Object decoded = decode(raw);
            if (decoded instanceof ExportTraceServiceRequest traces) processTraces(raw, traces, out);
            else if (decoded instanceof ExportMetricsServiceRequest metrics) processMetrics(raw, metrics, out);
            else if (decoded instanceof ExportLogsServiceRequest logs) processLogs(raw, logs, out);
            else processSuiteRecord(raw, decoded, out);
        } catch (OtlpDecodeException e) {
            out.received(1);
            out.deadLetter(deadLetter(raw, e.signal(), e.reason(), e.getMessage(), raw.payload));
        }
    }

    /** An OTLP export request or a suite record; JSON is recognised by its first byte on any origin. */
    private static Object decode(RawRecord raw) throws OtlpDecodeException {
        byte[] payload = raw.payload == null ? new byte[0] : raw.payload;
        String protoEncoding = switch (raw.encoding) {
            case RawRecord.Encoding.OTLP_PROTO_METRICS, RawRecord.Encoding.OTLP_PROTO_LOGS -> raw.encoding;
            default -> RawRecord.Encoding.OTLP_PROTO_TRACES;
        };
        String encoding = OtlpDecoder.sniffEncoding(payload, protoEncoding);
        if (RawRecord.Encoding.JSON.equals(encoding)) {
            ObjectNode tree = OtlpDecoder.parseJsonObject(payload);
            return SuiteRecordDecoder.isSuiteRecord(tree) ? SuiteRecordDecoder.decode(tree) : OtlpDecoder.decodeJson(tree);
        }
        if (RawRecord.Encoding.JSON.equals(raw.encoding)) {
            // A JSON lines file or the records topic: bytes that are not a JSON object are bad JSON, not protobuf.
            throw new OtlpDecodeException(DeadLetterReason.INVALID_JSON, OtlpDecoder.UNKNOWN,
                    "expected a JSON object, the first byte is 0x" + Integer.toHexString(payload[0] & 0xff));
        }
        return OtlpDecoder.decodeProto(payload, encoding);
    }

    private void processTraces(RawRecord raw, ExportTraceServiceRequest request, Output out) {
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        // Deferred spans carry their protobuf bytes: copy them from the request's bytes when they were
        // protobuf (JSON, or bytes whose layout does not line up with the decoded request, re-encode).
        TraceRequestRanges ranges = deferSpans && !isJson(raw) ? TraceRequestRanges.of(raw.payload, request) : null;
        List<ResourceSpans> resourceSpansList = request.getResourceSpansList();
        for (int r = 0; r < resourceSpansList.size(); r++) {
            ResourceSpans resourceSpans = resourceSpansList.get(r);
            Resource resource = resourceSpans.getResource();
            byte[] resourceBytes = !deferSpans ? null : ranges != null ? ranges.resource(r) : resource.toByteArray();
            List<ScopeSpans> scopeSpansList = resourceSpans.getScopeSpansList();
            for (int s = 0; s < scopeSpansList.size(); s++) {
                ScopeSpans scopeSpans = scopeSpansList.get(s);
                OtlpMapper.Context context = OtlpMapper.context(resource, scopeSpans.getScope());
                byte[] scopeBytes = !deferSpans ? null : ranges != null ? ranges.scope(r, s) : scopeSpans.getScope().toByteArray();
                List<io.opentelemetry.proto.trace.v1.Span> spans = scopeSpans.getSpansList();
                for (int i = 0; i < spans.size(); i++) {
                    io.opentelemetry.proto.trace.v1.Span proto = spans.get(i);
                    out.received(1);
                    if (deferSpans) deferSpan(raw, resource, resourceBytes, scopeBytes, context, proto, ranges, r, s, i, nowNanos, out);
                    else mapSpan(raw, resource, context, proto, nowNanos, out);
                }
            }
        }
    }

    /** Whether the record was decoded from JSON (the same sniffing as {@link #decode}). */
    private static boolean isJson(RawRecord raw) {
        return raw.payload == null || RawRecord.Encoding.JSON.equals(OtlpDecoder.sniffEncoding(raw.payload, RawRecord.Encoding.OTLP_PROTO_TRACES));
    }

    private void mapSpan(RawRecord raw, Resource resource, OtlpMapper.Context context, io.opentelemetry.proto.trace.v1.Span proto,
                         long nowNanos, Output out) {
        Span span;
        try {
            span = OtlpMapper.toSpan(context, proto);
        } catch (OtlpDecodeException e) {
            reject(raw, e.signal(), e.reason(), e.getMessage(), LenientItems.span(resource, proto), out);
            return;
        }
        String problem = spanTimeProblem(proto, nowNanos);
        if (problem != null) {
            rejectProblem(raw, "span", problem, span, out);
            return;
        }
        ValidationResult result = validator.validate(Signal.SPAN, proto.getAttributesList(), resource.getAttributesList(), span.kind);
        if (result.isRejected()) {
            reject(raw, "span", result.rejectReason(), result.rejectMessage(), span, out);
            return;
        }
        tag(result, span.violations, out);
        redactor.redact(span);
        out.span(span);
    }

    /** The same checks as {@link #mapSpan} on the protobuf span, without mapping it. */
    private void deferSpan(RawRecord raw, Resource resource, byte[] resourceBytes, byte[] scopeBytes, OtlpMapper.Context context,
                           io.opentelemetry.proto.trace.v1.Span proto, TraceRequestRanges ranges, int r, int s, int i,
                           long nowNanos, Output out) {
        try {
            OtlpMapper.checkSpanIds(proto);
        } catch (OtlpDecodeException e) {
            reject(raw, e.signal(), e.reason(), e.getMessage(), LenientItems.span(resource, proto), out);
            return;
        }
        String problem = spanTimeProblem(proto, nowNanos);
        if (problem != null) {
            rejectProblem(raw, "span", problem, LenientItems.span(resource, proto), out);
            return;
        }
        ValidationResult result = validator.validate(Signal.SPAN, proto.getAttributesList(), resource.getAttributesList(),
                OtlpMapper.spanKindName(proto.getKindValue()));
        if (result.isRejected()) {
            reject(raw, "span", result.rejectReason(), result.rejectMessage(), LenientItems.span(resource, proto), out);
            return;
        }
        SpanEnvelope envelope = new SpanEnvelope();
        envelope.traceId = Hex.encode(proto.getTraceId());
        envelope.spanId = Hex.encode(proto.getSpanId());
        envelope.serviceName = context.serviceName();
        envelope.startTimeUnixNano = proto.getStartTimeUnixNano();
        envelope.endTimeUnixNano = proto.getEndTimeUnixNano();
        envelope.error = proto.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        envelope.route = routeOf(proto);
        envelope.resource = resourceBytes;
        envelope.scope = scopeBytes;
        envelope.span = ranges != null ? ranges.span(r, s, i) : proto.toByteArray();
        tag(result, envelope.violations, out);
        out.spanEnvelope(envelope);
    }

    private static String routeOf(io.opentelemetry.proto.trace.v1.Span span) {
        for (KeyValue attribute : span.getAttributesList()) {
            if ("http.route".equals(attribute.getKey()) && attribute.getValue().hasStringValue()) {
                return attribute.getValue().getStringValue();
            }
        }
        return span.getName();
    }

    private void processMetrics(RawRecord raw, ExportMetricsServiceRequest request, Output out) {
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Resource resource = resourceMetrics.getResource();
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                OtlpMapper.Context context = OtlpMapper.context(resource, scopeMetrics.getScope());
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    int points = OtlpMapper.pointCount(metric);
                    if (points == 0) {
                        // A metric without data points still arrived: account for it rather than drop it silently.
                        out.received(1);
                        reject(raw, "metric", DeadLetterReason.MISSING_REQUIRED_FIELD,
                                "metric \"" + metric.getName() + "\" has no data points", LenientItems.metric(resource, metric, List.of()), out);
                        continue;
                    }
                    for (int i = 0; i < points; i++) {
                        out.received(1);
                        List<KeyValue> attributes = LenientItems.pointAttributes(metric, i);
                        MetricPoint point;
                        try {
                            point = OtlpMapper.toMetricPoint(context, metric, i);
                        } catch (OtlpDecodeException e) {
                            reject(raw, e.signal(), e.reason(), e.getMessage(), LenientItems.metric(resource, metric, attributes), out);
                            continue;
                        }
                        String problem = metric.getName().isEmpty()
                                ? DeadLetterReason.MISSING_REQUIRED_FIELD + ":metric has no name"
                                : timeProblem(point.timeUnixNano, nowNanos, "data point");
                        if (problem != null) {
                            rejectProblem(raw, "metric", problem, point, out);
                            continue;
                        }
                        ValidationResult result = validator.validate(Signal.METRIC, attributes, resource.getAttributesList(), null);
                        if (result.isRejected()) {
                            reject(raw, "metric", result.rejectReason(), result.rejectMessage(), point, out);
                            continue;
                        }
                        tag(result, point.violations, out);
                        redactor.redact(point);
                        out.metric(point);
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
                OtlpMapper.Context context = OtlpMapper.context(resource, scopeLogs.getScope());
                for (io.opentelemetry.proto.logs.v1.LogRecord proto : scopeLogs.getLogRecordsList()) {
                    out.received(1);
                    LogRecord log;
                    try {
                        log = OtlpMapper.toLog(context, proto);
                    } catch (OtlpDecodeException e) {
                        reject(raw, e.signal(), e.reason(), e.getMessage(), LenientItems.log(resource, proto), out);
                        continue;
                    }
                    String problem = timeProblem(log.effectiveTimeUnixNano(), nowNanos, "log record");
                    if (problem != null) {
                        rejectProblem(raw, "log", problem, log, out);
                        continue;
                    }
                    ValidationResult result = validator.validate(Signal.LOG, proto.getAttributesList(), resource.getAttributesList(), null);
                    if (result.isRejected()) {
                        reject(raw, "log", result.rejectReason(), result.rejectMessage(), log, out);
                        continue;
                    }
                    tag(result, log.violations, out);
                    redactor.redact(log);
                    out.log(log);
                }
            }
        }
    }

    private void processSuiteRecord(RawRecord raw, Object record, Output out) {
        out.received(1);
        long nowNanos = nowMillis.getAsLong() * 1_000_000L;
        if (record instanceof WorkloadRecord workload) {
            String problem = suiteProblem(workload.timestampMillis, nowNanos, "tenant", workload.tenant);
            if (problem == null) {
                redactor.redact(workload);
                out.workload(workload);
            } else {
                rejectProblem(raw, "workload", problem, workload, out);
            }
        } else if (record instanceof SystemSample system) {
            String problem = suiteProblem(system.timestampMillis, nowNanos, "host", system.host);
            if (problem == null) {
                redactor.redact(system);
                out.system(system);
            } else {
                rejectProblem(raw, "system", problem, system, out);
            }
        } else if (record instanceof InferenceSample inference) {
            String problem = suiteProblem(inference.timestampMillis, nowNanos, "model", inference.model);
            if (problem == null) {
                redactor.redact(inference);
                out.inference(inference);
            } else {
                rejectProblem(raw, "inference", problem, inference, out);
            }
        } else {
            throw new IllegalStateException("unexpected decoded record " + record);
        }
    }

    // ---- what the suite cannot interpret: problems are "reason:message" so one string carries both

    private String spanTimeProblem(io.opentelemetry.proto.trace.v1.Span span, long nowNanos) {
        if (span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() == 0) {
            return DeadLetterReason.MISSING_TIMESTAMP + ":span has no " + (span.getStartTimeUnixNano() == 0 ? "start" : "end") + " time";
        }
        if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
            return DeadLetterReason.INVALID_TIME_RANGE + ":span ends " + (span.getStartTimeUnixNano() - span.getEndTimeUnixNano()) + " ns before it starts";
        }
        return timeProblem(span.getStartTimeUnixNano(), nowNanos, "span start");
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

    // ---- outcomes

    private static void tag(ValidationResult result, List<String> violations, Output out) {
        if (result.isValid()) return;
        result.addTaggedRuleIdsTo(violations);
        for (String ruleId : violations) out.violation(ruleId);
    }

    private void rejectProblem(RawRecord raw, String signal, String problem, Object item, Output out) {
        int colon = problem.indexOf(':');
        reject(raw, signal, problem.substring(0, colon), problem.substring(colon + 1), item, out);
    }

    /** Dead-letters one item, redacted, as the suite's JSON: replayable, and nothing the policy hides leaks. */
    private void reject(RawRecord raw, String signal, String reason, String message, Object item, Output out) {
        redactor.redactAny(item);
        out.deadLetter(deadLetter(raw, signal, reason, message, EventJson.toBytes(item)));
    }

    /** A dead letter with the privacy masks applied to its bytes and message (messages quote values). */
    private DeadLetter deadLetter(RawRecord raw, String signal, String reason, String message, byte[] bytes) {
        DeadLetter deadLetter = new DeadLetter(reason, message, raw.describeSource(), signal,
                bytes == null ? new byte[0] : bytes, nowMillis.getAsLong());
        redactor.redact(deadLetter);
        return deadLetter;
    }

}
