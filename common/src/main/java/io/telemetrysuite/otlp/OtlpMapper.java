package io.telemetrysuite.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps decoded OTLP protobuf messages to the event model, one item (span, metric data point, log
 * record) at a time, so the caller can dead-letter a bad item and keep its siblings. Resource and
 * scope are rendered once per {@link Context} and copied into each item.
 *
 * <p>Ids become lowercase hex; a span's trace and span ids (and those of its links) must be valid
 * (16 and 8 bytes, not all zero), a parent span id and a log record's ids may be empty. Enums become
 * their names without the proto prefix ({@code SERVER}, {@code ERROR}, {@code DELTA}); a number this
 * proto version does not know becomes {@code UNSPECIFIED} ({@code UNSET} for a status), so a newer
 * sender does not cost the item. Attributes are rendered by {@link AnyValues}.
 *
 * <p>Stateless; every method is static.
 */
public final class OtlpMapper {
    // Indexed by the proto enum number: no valueOf, no string concatenation per item.
    private static final String[] SPAN_KINDS = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    private static final String[] STATUS_CODES = {"UNSET", "OK", "ERROR"};
    private static final String[] TEMPORALITIES = {"UNSPECIFIED", "DELTA", "CUMULATIVE"};

    private OtlpMapper() {}

    /**
     * A resource and scope rendered once for all the items under them. Immutable; each item gets its
     * own copy of the resource attributes, because downstream operators (privacy masking, for one)
     * change an item's maps in place.
     */
    public static final class Context {
        private final String serviceName;
        private final String scopeName;
        private final String scopeVersion;
        private final Map<String, String> resourceAttributes;

        private Context(Resource resource, InstrumentationScope scope) {
            Map<String, String> attributes = AnyValues.render(resource.getAttributesList());
            String service = attributes.get("service.name");
            this.serviceName = service == null ? "" : service;
            this.scopeName = scope.getName();
            this.scopeVersion = scope.getVersion();
            this.resourceAttributes = Collections.unmodifiableMap(attributes);
        }

        /** The resource's {@code service.name}, or empty. */
        public String serviceName() {
            return serviceName;
        }

        private Map<String, String> copyOfResourceAttributes() {
            return new HashMap<>(resourceAttributes);
        }
    }

    /** Renders a resource and scope for the items under them (a {@code ScopeSpans}, {@code ScopeMetrics} or {@code ScopeLogs}). */
    public static Context context(Resource resource, InstrumentationScope scope) {
        return new Context(resource, scope);
    }

    /** {@link #toSpan(Context, io.opentelemetry.proto.trace.v1.Span)} for a single span. */
    public static Span toSpan(Resource resource, InstrumentationScope scope, io.opentelemetry.proto.trace.v1.Span span)
            throws OtlpDecodeException {
        return toSpan(context(resource, scope), span);
    }

    /**
     * Maps one span.
     *
     * @throws OtlpDecodeException {@code invalid_trace_id} or {@code invalid_span_id} when the span's or
     *     a link's id has the wrong length or is all zero, or the parent span id has the wrong length
     */
    public static Span toSpan(Context context, io.opentelemetry.proto.trace.v1.Span span) throws OtlpDecodeException {
        Span out = new Span();
        out.name = span.getName();
        out.traceId = traceId(span.getTraceId(), "span", out.name);
        out.spanId = spanId(span.getSpanId(), "span", out.name);
        out.parentSpanId = parentSpanId(span.getParentSpanId(), out.name);
        out.traceState = span.getTraceState();
        out.kind = name(SPAN_KINDS, span.getKindValue());
        out.startTimeUnixNano = span.getStartTimeUnixNano();
        out.endTimeUnixNano = span.getEndTimeUnixNano();
        out.statusCode = name(STATUS_CODES, span.getStatus().getCodeValue());
        out.statusMessage = span.getStatus().getMessage();
        out.serviceName = context.serviceName;
        out.scopeName = context.scopeName;
        out.scopeVersion = context.scopeVersion;
        out.attributes = AnyValues.render(span.getAttributesList());
        out.resourceAttributes = context.copyOfResourceAttributes();
        out.flags = span.getFlags();
        out.droppedAttributesCount = span.getDroppedAttributesCount();
        out.droppedEventsCount = span.getDroppedEventsCount();
        out.droppedLinksCount = span.getDroppedLinksCount();

        List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
        for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
            events.add(new SpanEvent(event.getTimeUnixNano(), event.getName(), AnyValues.render(event.getAttributesList())));
        }
        out.events = events;

        List<SpanLink> links = new ArrayList<>(span.getLinksCount());
        for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
            links.add(new SpanLink(
                    traceId(link.getTraceId(), "link of span", out.name),
                    spanId(link.getSpanId(), "link of span", out.name),
                    link.getTraceState(),
                    AnyValues.render(link.getAttributesList())));
        }
        out.links = links;
        return out;
    }

    /** An OTLP span kind number as the model names it: SERVER, CLIENT, ... (UNSPECIFIED when unknown). */
    public static String spanKindName(int kind) {
        return name(SPAN_KINDS, kind);
    }

    /**
     * The id checks of {@link #toSpan(Context, io.opentelemetry.proto.trace.v1.Span)} without building
     * the span: lets a caller reject a span before it pays for mapping it (ingest samples first).
     *
     * @throws OtlpDecodeException exactly when {@code toSpan} would, with the same reason and message
     */
    public static void checkSpanIds(io.opentelemetry.proto.trace.v1.Span span) throws OtlpDecodeException {
        String name = span.getName();
        traceId(span.getTraceId(), "span", name);
        spanId(span.getSpanId(), "span", name);
        parentSpanId(span.getParentSpanId(), name);
        for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
            traceId(link.getTraceId(), "link of span", name);
            spanId(link.getSpanId(), "link of span", name);
        }
    }

    /** The number of data points of the metric, whatever its type; 0 when it carries no data. */
    public static int pointCount(Metric metric) {
        switch (metric.getDataCase()) {
            case GAUGE: return metric.getGauge().getDataPointsCount();
            case SUM: return metric.getSum().getDataPointsCount();
            case HISTOGRAM: return metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM: return metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY: return metric.getSummary().getDataPointsCount();
            default: return 0;
        }
    }

    /** Every data point of the metric; throws on the first bad one. For per-point handling use {@link #toMetricPoint}. */
    public static List<MetricPoint> toMetricPoints(Resource resource, InstrumentationScope scope, Metric metric)
            throws OtlpDecodeException {
        Context context = context(resource, scope);
        int n = pointCount(metric);
        List<MetricPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) points.add(toMetricPoint(context, metric, i));
        return points;
    }

    /**
     * Maps data point {@code index} (below {@link #pointCount(Metric)}) of a gauge, sum, histogram,
     * exponential histogram or summary. Integer values are widened to double.
     *
     * @throws OtlpDecodeException {@code missing_required_field} for a number point without a value,
     *     {@code wrong_shape} for a histogram whose bucket counts do not match its bounds
     */
    public static MetricPoint toMetricPoint(Context context, Metric metric, int index) throws OtlpDecodeException {
        MetricPoint out = new MetricPoint();
        out.metricName = metric.getName();
        out.description = metric.getDescription();
        out.unit = metric.getUnit();
        out.serviceName = context.serviceName;
        out.scopeName = context.scopeName;
        out.resourceAttributes = context.copyOfResourceAttributes();
        switch (metric.getDataCase()) {
            case GAUGE:
                out.type = MetricPoint.Type.GAUGE;
                number(out, metric.getGauge().getDataPoints(index), index);
                break;
            case SUM:
                out.type = MetricPoint.Type.SUM;
                out.monotonic = metric.getSum().getIsMonotonic();
                out.aggregationTemporality = name(TEMPORALITIES, metric.getSum().getAggregationTemporalityValue());
                number(out, metric.getSum().getDataPoints(index), index);
                break;
            case HISTOGRAM:
                out.type = MetricPoint.Type.HISTOGRAM;
                out.aggregationTemporality = name(TEMPORALITIES, metric.getHistogram().getAggregationTemporalityValue());
                histogram(out, metric.getHistogram().getDataPoints(index), index);
                break;
            case EXPONENTIAL_HISTOGRAM:
                out.type = MetricPoint.Type.EXPONENTIAL_HISTOGRAM;
                out.aggregationTemporality = name(TEMPORALITIES, metric.getExponentialHistogram().getAggregationTemporalityValue());
                exponentialHistogram(out, metric.getExponentialHistogram().getDataPoints(index));
                break;
            case SUMMARY:
                out.type = MetricPoint.Type.SUMMARY;
                summary(out, metric.getSummary().getDataPoints(index));
                break;
            default:
                throw new OtlpDecodeException(DeadLetterReason.MISSING_REQUIRED_FIELD, OtlpDecoder.METRIC,
                        "metric '" + metric.getName() + "' has no data: none of gauge, sum, histogram, exponentialHistogram, summary");
        }
        return out;
    }

    private static void number(MetricPoint out, NumberDataPoint point, int index) throws OtlpDecodeException {
        common(out, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
        switch (point.getValueCase()) {
            case AS_DOUBLE: out.value = point.getAsDouble(); break;
            case AS_INT: out.value = point.getAsInt(); break;
            default:
                throw new OtlpDecodeException(DeadLetterReason.MISSING_REQUIRED_FIELD, OtlpDecoder.METRIC,
                        out.type.toLowerCase() + " '" + out.metricName + "' data point " + index + " has no value (asDouble or asInt)");
        }
    }

    private static void histogram(MetricPoint out, HistogramDataPoint point, int index) throws OtlpDecodeException {
        int counts = point.getBucketCountsCount();
        int bounds = point.getExplicitBoundsCount();
        // The data model allows no buckets at all (count and sum only), or exactly one more count than bounds.
        if (counts == 0 ? bounds != 0 : counts != bounds + 1) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, OtlpDecoder.METRIC,
                    "histogram '" + out.metricName + "' data point " + index + " has " + counts + " bucket counts for "
                            + bounds + " explicit bounds; expected " + (bounds + 1));
        }
        common(out, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
        out.count = point.getCount();
        out.sum = point.getSum();
        out.hasMin = point.hasMin();
        out.min = point.getMin();
        out.hasMax = point.hasMax();
        out.max = point.getMax();
        out.bucketCounts = toLongArray(point.getBucketCountsList());
        double[] explicitBounds = new double[bounds];
        for (int i = 0; i < bounds; i++) explicitBounds[i] = point.getExplicitBounds(i);
        out.explicitBounds = explicitBounds;
    }

    private static void exponentialHistogram(MetricPoint out, ExponentialHistogramDataPoint point) {
        common(out, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
        out.count = point.getCount();
        out.sum = point.getSum();
        out.hasMin = point.hasMin();
        out.min = point.getMin();
        out.hasMax = point.hasMax();
        out.max = point.getMax();
        out.scale = point.getScale();
        out.zeroCount = point.getZeroCount();
        out.zeroThreshold = point.getZeroThreshold();
        out.positiveOffset = point.getPositive().getOffset();
        out.positiveBucketCounts = toLongArray(point.getPositive().getBucketCountsList());
        out.negativeOffset = point.getNegative().getOffset();
        out.negativeBucketCounts = toLongArray(point.getNegative().getBucketCountsList());
    }

    private static void summary(MetricPoint out, SummaryDataPoint point) {
        common(out, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
        out.count = point.getCount();
        out.sum = point.getSum();
        int n = point.getQuantileValuesCount();
        out.quantiles = new double[n];
        out.quantileValues = new double[n];
        for (int i = 0; i < n; i++) {
            out.quantiles[i] = point.getQuantileValues(i).getQuantile();
            out.quantileValues[i] = point.getQuantileValues(i).getValue();
        }
    }

    private static void common(MetricPoint out, List<KeyValue> attributes, long start, long time, int flags) {
        out.attributes = AnyValues.render(attributes);
        out.startTimeUnixNano = start;
        out.timeUnixNano = time;
        out.flags = flags;
    }

    /** {@link #toLog(Context, io.opentelemetry.proto.logs.v1.LogRecord)} for a single log record. */
    public static LogRecord toLog(Resource resource, InstrumentationScope scope, io.opentelemetry.proto.logs.v1.LogRecord log)
            throws OtlpDecodeException {
        return toLog(context(resource, scope), log);
    }

    /**
     * Maps one log record. The body is rendered like an attribute value (structured bodies as JSON).
     *
     * @throws OtlpDecodeException {@code invalid_trace_id} or {@code invalid_span_id} when an id is
     *     present with the wrong length
     */
    public static LogRecord toLog(Context context, io.opentelemetry.proto.logs.v1.LogRecord log) throws OtlpDecodeException {
        LogRecord out = new LogRecord();
        out.timeUnixNano = log.getTimeUnixNano();
        out.observedTimeUnixNano = log.getObservedTimeUnixNano();
        out.severityNumber = log.getSeverityNumberValue();
        out.severityText = log.getSeverityText();
        out.body = AnyValues.render(log.getBody());
        out.eventName = log.getEventName();
        out.traceId = logId(log, log.getTraceId(), Hex.TRACE_ID_BYTES, DeadLetterReason.INVALID_TRACE_ID, "traceId");
        out.spanId = logId(log, log.getSpanId(), Hex.SPAN_ID_BYTES, DeadLetterReason.INVALID_SPAN_ID, "spanId");
        out.flags = log.getFlags();
        out.serviceName = context.serviceName;
        out.scopeName = context.scopeName;
        out.attributes = AnyValues.render(log.getAttributesList());
        out.resourceAttributes = context.copyOfResourceAttributes();
        out.droppedAttributesCount = log.getDroppedAttributesCount();
        return out;
    }

    private static String traceId(ByteString id, String what, String name) throws OtlpDecodeException {
        if (!Hex.isValidTraceId(id)) {
            throw new OtlpDecodeException(DeadLetterReason.INVALID_TRACE_ID, OtlpDecoder.SPAN,
                    "traceId of " + what + " '" + name + "' " + describe(id, Hex.TRACE_ID_BYTES));
        }
        return Hex.encode(id);
    }

    private static String spanId(ByteString id, String what, String name) throws OtlpDecodeException {
        if (!Hex.isValidSpanId(id)) {
            throw new OtlpDecodeException(DeadLetterReason.INVALID_SPAN_ID, OtlpDecoder.SPAN,
                    "spanId of " + what + " '" + name + "' " + describe(id, Hex.SPAN_ID_BYTES));
        }
        return Hex.encode(id);
    }

    private static String parentSpanId(ByteString id, String name) throws OtlpDecodeException {
        String hex = optionalId(id, Hex.SPAN_ID_BYTES);
        if (hex == null) {
            throw new OtlpDecodeException(DeadLetterReason.INVALID_SPAN_ID, OtlpDecoder.SPAN,
                    "parentSpanId of span '" + name + "' " + describe(id, Hex.SPAN_ID_BYTES));
        }
        return hex;
    }

    private static String logId(io.opentelemetry.proto.logs.v1.LogRecord log, ByteString id, int bytes, String reason,
                                String field) throws OtlpDecodeException {
        String hex = optionalId(id, bytes);
        if (hex == null) {
            // Log records have no name; the time and event name are what identifies one for a person.
            String label = "log record at timeUnixNano " + log.getTimeUnixNano()
                    + (log.getEventName().isEmpty() ? "" : " (event '" + log.getEventName() + "')");
            throw new OtlpDecodeException(reason, OtlpDecoder.LOG, field + " of " + label + " " + describe(id, bytes));
        }
        return hex;
    }

    /**
     * An id that may be absent, as hex, or null when it is invalid. Empty bytes, and all zero bytes
     * as some SDKs send for "none" (the Collector reads both as empty), render as the empty string.
     */
    private static String optionalId(ByteString id, int bytes) {
        if (id.isEmpty()) return "";
        if (id.size() != bytes) return null;
        return Hex.allZero(id) ? "" : Hex.encode(id);
    }

    private static String describe(ByteString id, int expectedBytes) {
        if (id.size() == expectedBytes) return "is all zero";
        return "has " + id.size() + " bytes (" + (id.isEmpty() ? "empty" : Hex.encode(id)) + "), expected " + expectedBytes;
    }


    private static String name(String[] names, int number) {
        return number >= 0 && number < names.length ? names[number] : names[0];
    }

    private static long[] toLongArray(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }
}
