package io.telemetrysuite.otlp;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.testing.OtlpFixtures.EVERY_TYPE;
import static io.telemetrysuite.testing.OtlpFixtures.EVERY_TYPE_RENDERED;
import static io.telemetrysuite.testing.OtlpFixtures.MILLI;
import static io.telemetrysuite.testing.OtlpFixtures.SCOPE_NAME;
import static io.telemetrysuite.testing.OtlpFixtures.SCOPE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord.Encoding;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * What the real OpenTelemetry SDK sends survives decoding and mapping, through protobuf and through
 * OTLP JSON alike, for every field the event model keeps. Expected values come from the SDK's own
 * data ({@link SpanData}, {@link MetricData}, {@link LogRecordData}), never from the code under test.
 */
class OtlpRoundTripTest {
    enum Wire { PROTOBUF, JSON }

    // ------------------------------------------------------------------ traces

    @ParameterizedTest
    @EnumSource(Wire.class)
    void sdkSpansKeepEveryModelFieldIncludingHexIds(Wire wire) throws Exception {
        List<SpanData> sdkSpans = OtlpFixtures.richSpans();

        List<Span> spans = decodeSpans(sdkSpans, wire);

        assertThat(spans).hasSameSizeAs(sdkSpans).hasSize(5);
        for (int i = 0; i < sdkSpans.size(); i++) {
            assertThat(spans.get(i)).usingRecursiveComparison().isEqualTo(expected(sdkSpans.get(i)));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void richSpansCarryTheValuesTheFixtureDocuments(Wire wire) throws Exception {
        Span server = decodeSpans(OtlpFixtures.richSpans(), wire).stream()
                .filter(s -> s.kind.equals("SERVER")).findFirst().orElseThrow();

        assertThat(server.traceId).isEqualTo(OtlpFixtures.traceId(1));
        assertThat(server.parentSpanId).isEqualTo(OtlpFixtures.spanId(1, 0xff));
        assertThat(server.traceState).isEqualTo("vendor=v1");
        assertThat(server.statusCode).isEqualTo("ERROR");
        assertThat(server.statusMessage).isEqualTo("card declined");
        assertThat(server.attributes).isEqualTo(EVERY_TYPE_RENDERED);
        assertThat(server.serviceName).isEqualTo("checkout");
        assertThat(server.resourceAttributes).containsEntry("host.name", "node-7").hasSize(4);
        assertThat(server.scopeName).isEqualTo(SCOPE_NAME);
        assertThat(server.scopeVersion).isEqualTo(SCOPE_VERSION);
        assertThat(server.startTimeUnixNano).isEqualTo(BASE_EPOCH_NANOS);
        assertThat(server.durationNanos()).isEqualTo(100 * MILLI);
        assertThat(server.events).extracting(e -> e.name).containsExactly("cache.miss", "exception");
        assertThat(server.events.get(0).attributes).containsExactly(Map.entry("cache.size", "42"));
        assertThat(server.events.get(1).attributes).containsEntry("exception.escaped", "true")
                .containsEntry("exception.type", "java.lang.IllegalStateException");
        assertThat(server.links).containsExactly(new SpanLink(OtlpFixtures.traceId(2), OtlpFixtures.spanId(2, 1), "other=x",
                Map.of("link.reason", "retry-of")));
        // Sampled, and the parent is remote: W3C flags plus OTLP's has-is-remote and is-remote bits.
        assertThat(server.flags).isEqualTo(0x01 | 0x100 | 0x200);
    }

    @Test
    void aNaiveJsonFormatParseGetsTheIdsWrongWhichIsWhyTheDecoderRewritesThem() throws Exception {
        List<SpanData> sdkSpans = OtlpFixtures.richSpans();
        String json = OtlpFixtures.traceRequestJson(sdkSpans);

        ExportTraceServiceRequest.Builder naive = ExportTraceServiceRequest.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(json, naive);
        ExportTraceServiceRequest decoded = (ExportTraceServiceRequest) OtlpDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8));

        io.opentelemetry.proto.trace.v1.Span naiveSpan = naive.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        io.opentelemetry.proto.trace.v1.Span span = decoded.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        // Hex digits are base64 too: the naive parse does not fail, it reads 24 wrong bytes.
        assertThat(naiveSpan.getTraceId().size()).isEqualTo(24);
        assertThat(Hex.encode(span.getTraceId())).isEqualTo(sdkSpans.get(0).getTraceId());
        assertThat(Hex.encode(span.getSpanId())).isEqualTo(sdkSpans.get(0).getSpanId());
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void theCheckoutTopologyHasThreeServicesAndParentLinks(Wire wire) throws Exception {
        List<SpanData> sdkSpans = OtlpFixtures.checkoutTrace(7, BASE_EPOCH_NANOS, true);

        List<Span> spans = decodeSpans(sdkSpans, wire);

        for (int i = 0; i < sdkSpans.size(); i++) {
            assertThat(spans.get(i)).usingRecursiveComparison().isEqualTo(expected(sdkSpans.get(i)));
        }
        Map<String, Span> byId = spans.stream().collect(Collectors.toMap(s -> s.spanId, s -> s));
        assertThat(spans).allSatisfy(s -> assertThat(s.traceId).isEqualTo(OtlpFixtures.traceId(7)));
        assertThat(spans).filteredOn(Span::isRoot).singleElement()
                .satisfies(root -> assertThat(root.serviceName).isEqualTo(OtlpFixtures.FRONTEND));
        assertThat(spans).filteredOn(s -> !s.isRoot()).allSatisfy(s -> assertThat(byId).containsKey(s.parentSpanId));
        Span db = spans.stream().filter(s -> s.name.equals("SELECT orders")).findFirst().orElseThrow();
        assertThat(db.kind).isEqualTo("CLIENT");
        assertThat(db.attributes).containsEntry("db.system.name", "postgresql");
        assertThat(byId.get(db.parentSpanId).serviceName).isEqualTo(OtlpFixtures.CHECKOUT);
        Span payment = spans.stream().filter(s -> s.serviceName.equals(OtlpFixtures.PAYMENT)).findFirst().orElseThrow();
        assertThat(payment.isError()).isTrue();
        assertThat(byId.get(payment.parentSpanId).serviceName).isEqualTo(OtlpFixtures.CHECKOUT);
    }

    private static List<Span> decodeSpans(List<SpanData> sdkSpans, Wire wire) throws OtlpDecodeException {
        byte[] payload = wire == Wire.PROTOBUF
                ? OtlpFixtures.traceRequestProto(sdkSpans)
                : OtlpFixtures.traceRequestJson(sdkSpans).getBytes(StandardCharsets.UTF_8);
        ExportTraceServiceRequest request = (ExportTraceServiceRequest) decode(payload, Encoding.OTLP_PROTO_TRACES);
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                OtlpMapper.Context context = OtlpMapper.context(resourceSpans.getResource(), scopeSpans.getScope());
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) spans.add(OtlpMapper.toSpan(context, span));
            }
        }
        // The marshaler groups by resource and scope; the SDK's order is export order.
        List<Span> ordered = new ArrayList<>();
        for (SpanData sdkSpan : sdkSpans) {
            ordered.add(spans.stream().filter(s -> s.spanId.equals(sdkSpan.getSpanId())).findFirst().orElseThrow());
        }
        return ordered;
    }

    /** How ingest decodes: sniff, then JSON or protobuf. */
    private static Message decode(byte[] payload, String protoEncoding) throws OtlpDecodeException {
        String encoding = OtlpDecoder.sniffEncoding(payload, protoEncoding);
        return encoding.equals(Encoding.JSON) ? OtlpDecoder.decodeJson(payload) : OtlpDecoder.decodeProto(payload, encoding);
    }

    private static Span expected(SpanData sdk) {
        Span span = new Span();
        span.traceId = sdk.getTraceId();
        span.spanId = sdk.getSpanId();
        span.parentSpanId = sdk.getParentSpanContext().isValid() ? sdk.getParentSpanId() : "";
        span.traceState = w3c(sdk.getSpanContext().getTraceState());
        span.name = sdk.getName();
        span.kind = sdk.getKind().name();
        span.startTimeUnixNano = sdk.getStartEpochNanos();
        span.endTimeUnixNano = sdk.getEndEpochNanos();
        span.statusCode = sdk.getStatus().getStatusCode().name();
        span.statusMessage = sdk.getStatus().getDescription();
        span.serviceName = sdk.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"));
        span.scopeName = sdk.getInstrumentationScopeInfo().getName();
        span.scopeVersion = java.util.Objects.toString(sdk.getInstrumentationScopeInfo().getVersion(), "");
        span.attributes = render(sdk.getAttributes());
        span.resourceAttributes = render(sdk.getResource().getAttributes());
        for (EventData event : sdk.getEvents()) {
            span.events.add(new SpanEvent(event.getEpochNanos(), event.getName(), render(event.getAttributes())));
        }
        for (LinkData link : sdk.getLinks()) {
            span.links.add(new SpanLink(link.getSpanContext().getTraceId(), link.getSpanContext().getSpanId(),
                    w3c(link.getSpanContext().getTraceState()), render(link.getAttributes())));
        }
        span.flags = (sdk.getSpanContext().getTraceFlags().asByte() & 0xff) | 0x100
                | (sdk.getParentSpanContext().isRemote() ? 0x200 : 0);
        span.droppedAttributesCount = sdk.getTotalAttributeCount() - sdk.getAttributes().size();
        span.droppedEventsCount = sdk.getTotalRecordedEvents() - sdk.getEvents().size();
        span.droppedLinksCount = sdk.getTotalRecordedLinks() - sdk.getLinks().size();
        return span;
    }

    private static String w3c(TraceState state) {
        return state.asMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The fixture's attributes of every type as documented, any other scalar by String.valueOf. */
    static Map<String, String> render(Attributes attributes) {
        Map<String, String> out = new HashMap<>();
        attributes.forEach((key, value) -> {
            if (value.equals(EVERY_TYPE.get(key))) {
                out.put(key.getKey(), EVERY_TYPE_RENDERED.get(key.getKey()));
            } else {
                assertThat(value).isInstanceOfAny(String.class, Boolean.class, Long.class, Double.class);
                out.put(key.getKey(), String.valueOf(value));
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ metrics

    @ParameterizedTest
    @EnumSource(Wire.class)
    void sdkMetricsKeepEveryPointFieldOfEachType(Wire wire) throws Exception {
        List<MetricData> sdkMetrics = OtlpFixtures.richMetrics();

        Map<String, MetricPoint> points = decodeMetrics(sdkMetrics, wire);

        assertThat(points).hasSize(6);
        for (MetricData metric : sdkMetrics) {
            assertThat(points.get(metric.getName())).as(metric.getName())
                    .usingRecursiveComparison().isEqualTo(expected(metric));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void richMetricsCarryTheValuesTheFixtureDocuments(Wire wire) throws Exception {
        Map<String, MetricPoint> points = decodeMetrics(OtlpFixtures.richMetrics(), wire);

        MetricPoint gauge = points.get("system.memory.utilization");
        assertThat(gauge.type).isEqualTo("GAUGE");
        assertThat(gauge.value).isEqualTo(0.42);
        assertThat(gauge.description).isEqualTo("Memory in use");
        assertThat(gauge.attributes).containsOnly(Map.entry("http.route", "/checkout"), Map.entry("shard", "3"));
        assertThat(gauge.timeUnixNano).isEqualTo(BASE_EPOCH_NANOS + 10_000 * MILLI);
        assertThat(points.get("queue.depth.now").value).as("integer gauge widened").isEqualTo(7.0);
        MetricPoint counter = points.get("http.server.requests");
        assertThat(counter.type).isEqualTo("SUM");
        assertThat(counter.monotonic).isTrue();
        assertThat(counter.aggregationTemporality).isEqualTo("CUMULATIVE");
        assertThat(counter.value).isEqualTo(3.0);
        assertThat(counter.startTimeUnixNano).isEqualTo(BASE_EPOCH_NANOS);
        assertThat(points.get("queue.depth").monotonic).isFalse();
        assertThat(points.get("queue.depth").value).isEqualTo(-2.5);
        MetricPoint histogram = points.get("http.server.request.duration");
        assertThat(histogram.type).isEqualTo("HISTOGRAM");
        assertThat(histogram.explicitBounds).containsExactly(0.1, 0.5, 1.0);
        assertThat(histogram.bucketCounts).containsExactly(1, 1, 1, 1);
        assertThat(histogram.count).isEqualTo(4);
        assertThat(histogram.sum).isCloseTo(3.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(histogram.hasMin && histogram.min == 0.05 && histogram.hasMax && histogram.max == 2.0).isTrue();
        MetricPoint exponential = points.get("gen_ai.server.time_to_first_token");
        assertThat(exponential.type).isEqualTo("EXPONENTIAL_HISTOGRAM");
        assertThat(exponential.count).isEqualTo(4);
        assertThat(exponential.sum).isEqualTo(7.5);
        assertThat(exponential.positiveBucketCounts).isNotEmpty();
        assertThat(exponential.positiveBucketCounts).as("one value per bucket").containsOnly(0, 1);
    }

    private static Map<String, MetricPoint> decodeMetrics(List<MetricData> sdkMetrics, Wire wire) throws OtlpDecodeException {
        byte[] payload = wire == Wire.PROTOBUF
                ? OtlpFixtures.metricsRequestProto(sdkMetrics)
                : OtlpFixtures.metricsRequestJson(sdkMetrics).getBytes(StandardCharsets.UTF_8);
        ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) decode(payload, Encoding.OTLP_PROTO_METRICS);
        Map<String, MetricPoint> points = new HashMap<>();
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    List<MetricPoint> mapped = OtlpMapper.toMetricPoints(resourceMetrics.getResource(), scopeMetrics.getScope(), metric);
                    assertThat(mapped).as("one point per metric in the fixture").hasSize(1);
                    points.put(metric.getName(), mapped.get(0));
                }
            }
        }
        return points;
    }

    private static MetricPoint expected(MetricData metric) {
        MetricPoint point = new MetricPoint();
        point.metricName = metric.getName();
        point.description = metric.getDescription();
        point.unit = metric.getUnit();
        point.serviceName = "checkout";
        point.scopeName = metric.getInstrumentationScopeInfo().getName();
        point.resourceAttributes = render(metric.getResource().getAttributes());
        PointData data = metric.getData().getPoints().iterator().next();
        point.attributes = render(data.getAttributes());
        point.startTimeUnixNano = data.getStartEpochNanos();
        point.timeUnixNano = data.getEpochNanos();
        switch (metric.getType()) {
            case DOUBLE_GAUGE:
                point.type = "GAUGE";
                point.value = ((DoublePointData) data).getValue();
                break;
            case LONG_GAUGE:
                point.type = "GAUGE";
                point.value = ((LongPointData) data).getValue();
                break;
            case LONG_SUM:
                point.type = "SUM";
                point.value = ((LongPointData) data).getValue();
                point.monotonic = metric.getLongSumData().isMonotonic();
                point.aggregationTemporality = metric.getLongSumData().getAggregationTemporality().name();
                break;
            case DOUBLE_SUM:
                point.type = "SUM";
                point.value = ((DoublePointData) data).getValue();
                point.monotonic = metric.getDoubleSumData().isMonotonic();
                point.aggregationTemporality = metric.getDoubleSumData().getAggregationTemporality().name();
                break;
            case HISTOGRAM: {
                HistogramPointData h = (HistogramPointData) data;
                point.type = "HISTOGRAM";
                point.aggregationTemporality = metric.getHistogramData().getAggregationTemporality().name();
                point.count = h.getCount();
                point.sum = h.getSum();
                point.hasMin = h.hasMin();
                point.min = h.getMin();
                point.hasMax = h.hasMax();
                point.max = h.getMax();
                point.bucketCounts = h.getCounts().stream().mapToLong(Long::longValue).toArray();
                point.explicitBounds = h.getBoundaries().stream().mapToDouble(Double::doubleValue).toArray();
                break;
            }
            case EXPONENTIAL_HISTOGRAM: {
                ExponentialHistogramPointData e = (ExponentialHistogramPointData) data;
                point.type = "EXPONENTIAL_HISTOGRAM";
                point.aggregationTemporality = metric.getExponentialHistogramData().getAggregationTemporality().name();
                point.count = e.getCount();
                point.sum = e.getSum();
                point.hasMin = e.hasMin();
                point.min = e.getMin();
                point.hasMax = e.hasMax();
                point.max = e.getMax();
                point.scale = e.getScale();
                point.zeroCount = e.getZeroCount();
                point.positiveOffset = e.getPositiveBuckets().getOffset();
                point.positiveBucketCounts = e.getPositiveBuckets().getBucketCounts().stream().mapToLong(Long::longValue).toArray();
                point.negativeOffset = e.getNegativeBuckets().getOffset();
                point.negativeBucketCounts = e.getNegativeBuckets().getBucketCounts().stream().mapToLong(Long::longValue).toArray();
                break;
            }
            default:
                throw new AssertionError("the fixture makes no " + metric.getType());
        }
        return point;
    }

    // ------------------------------------------------------------------ logs

    @ParameterizedTest
    @EnumSource(Wire.class)
    void sdkLogsKeepEveryModelField(Wire wire) throws Exception {
        List<LogRecordData> sdkLogs = OtlpFixtures.richLogs();
        byte[] payload = wire == Wire.PROTOBUF
                ? OtlpFixtures.logsRequestProto(sdkLogs)
                : OtlpFixtures.logsRequestJson(sdkLogs).getBytes(StandardCharsets.UTF_8);

        ExportLogsServiceRequest request = (ExportLogsServiceRequest) decode(payload, Encoding.OTLP_PROTO_LOGS);
        List<LogRecord> logs = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (io.opentelemetry.proto.logs.v1.LogRecord log : scopeLogs.getLogRecordsList()) {
                    logs.add(OtlpMapper.toLog(resourceLogs.getResource(), scopeLogs.getScope(), log));
                }
            }
        }

        Map<String, String> resource = render(OtlpFixtures.RESOURCE.getAttributes());
        LogRecord error = new LogRecord();
        error.timeUnixNano = BASE_EPOCH_NANOS + MILLI;
        error.observedTimeUnixNano = BASE_EPOCH_NANOS + 2 * MILLI;
        error.severityNumber = 17;
        error.severityText = "ERROR";
        error.body = "payment failed: card declined";
        error.eventName = "payment.failed";
        error.traceId = OtlpFixtures.traceId(1);
        error.spanId = OtlpFixtures.spanId(1, 1);
        error.flags = 1;
        error.serviceName = "checkout";
        error.scopeName = SCOPE_NAME;
        error.attributes = EVERY_TYPE_RENDERED;
        error.resourceAttributes = resource;

        LogRecord info = new LogRecord();
        info.timeUnixNano = BASE_EPOCH_NANOS + 3 * MILLI;
        info.observedTimeUnixNano = BASE_EPOCH_NANOS + 50 * MILLI;
        info.severityNumber = 9;
        info.severityText = "INFO";
        info.serviceName = "checkout";
        info.scopeName = SCOPE_NAME;
        info.resourceAttributes = resource;

        LogRecord debug = new LogRecord();
        debug.observedTimeUnixNano = BASE_EPOCH_NANOS + 50 * MILLI;
        debug.severityNumber = 5;
        debug.body = "AAEC";
        debug.serviceName = "checkout";
        debug.scopeName = SCOPE_NAME;
        debug.resourceAttributes = resource;

        assertThat(logs).hasSize(3);
        assertThat(logs.get(0)).usingRecursiveComparison().isEqualTo(error);
        // Map bodies keep the SDK's key order, which Map.of does not fix: compare as JSON.
        assertThat(EventJsonTrees.parse(logs.get(1).body)).isEqualTo(EventJsonTrees.parse("{\"order\":\"o-17\",\"items\":[1,2.5]}"));
        assertThat(logs.get(1)).usingRecursiveComparison().ignoringFields("body").isEqualTo(info);
        assertThat(logs.get(2)).usingRecursiveComparison().isEqualTo(debug);
        assertThat(logs.get(2).effectiveTimeUnixNano()).isEqualTo(BASE_EPOCH_NANOS + 50 * MILLI);
    }

    /** Parses JSON for order-insensitive comparison of objects. */
    private static final class EventJsonTrees {
        static com.fasterxml.jackson.databind.JsonNode parse(String json) throws Exception {
            return io.telemetrysuite.json.EventJson.mapper().readTree(json);
        }
    }
}
