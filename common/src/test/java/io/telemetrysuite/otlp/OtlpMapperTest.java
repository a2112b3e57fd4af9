package io.telemetrysuite.otlp;

import static io.telemetrysuite.otlp.OtlpDecoderTest.rejected;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.MetricPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Item-by-item mapping: what a bad span, point or log record costs is that item alone. */
class OtlpMapperTest {
    private static final ByteString TRACE = id("5b8efff798038103d269b633813fc60c");
    private static final ByteString SPAN = id("eee19b7ec3c1b174");
    private static final Resource RESOURCE = Resource.newBuilder()
            .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("cart"))).build();
    private static final InstrumentationScope SCOPE = InstrumentationScope.newBuilder().setName("scope").build();

    private static ByteString id(String hex) {
        return ByteString.copyFrom(Hex.decode(hex));
    }

    private static Span.Builder span(String name) {
        return Span.newBuilder().setName(name).setTraceId(TRACE).setSpanId(SPAN);
    }

    @Test
    void aWrongLengthHexIdFromJsonRejectsOnlyItsSpan() throws Exception {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                + "{\"name\":\"bad\",\"traceId\":\"5b8efff798038103d269b633813fc6\",\"spanId\":\"eee19b7ec3c1b174\"},"
                + "{\"name\":\"good\",\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}";
        ExportTraceServiceRequest request = (ExportTraceServiceRequest) OtlpDecoder.decodeJson(json.getBytes(UTF_8));
        List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        OtlpMapper.Context context = OtlpMapper.context(Resource.getDefaultInstance(), InstrumentationScope.getDefaultInstance());

        OtlpDecodeException e = rejected(() -> OtlpMapper.toSpan(context, spans.get(0)));

        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
        assertThat(e.signal()).isEqualTo("span");
        assertThat(e.getMessage()).isEqualTo("traceId of span 'bad' has 15 bytes (5b8efff798038103d269b633813fc6), expected 16");
        assertThat(OtlpMapper.toSpan(context, spans.get(1)).traceId).isEqualTo("5b8efff798038103d269b633813fc60c");
    }

    @Test
    void spanIdsMustHaveTheirLengthAndNotBeAllZero() {
        assertThat(rejected(() -> OtlpMapper.toSpan(RESOURCE, SCOPE, span("s").setTraceId(ByteString.copyFrom(new byte[16])).build())))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID))
                .hasMessage("traceId of span 's' is all zero");
        assertThat(rejected(() -> OtlpMapper.toSpan(RESOURCE, SCOPE, span("s").setSpanId(id("0102")).build())))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID))
                .hasMessage("spanId of span 's' has 2 bytes (0102), expected 8");
        assertThat(rejected(() -> OtlpMapper.toSpan(RESOURCE, SCOPE, span("s").clearSpanId().build())))
                .hasMessage("spanId of span 's' has 0 bytes (empty), expected 8");
        assertThat(rejected(() -> OtlpMapper.toSpan(RESOURCE, SCOPE, span("s").setParentSpanId(id("01020304")).build())))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_SPAN_ID))
                .hasMessage("parentSpanId of span 's' has 4 bytes (01020304), expected 8");
        assertThat(rejected(() -> OtlpMapper.toSpan(RESOURCE, SCOPE, span("s")
                .addLinks(Span.Link.newBuilder().setTraceId(id("01")).setSpanId(SPAN)).build())))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID))
                .hasMessage("traceId of link of span 's' has 1 bytes (01), expected 16");
    }

    @Test
    void anAllZeroParentIsARootAsTheCollectorReadsIt() throws Exception {
        io.telemetrysuite.model.Span root = OtlpMapper.toSpan(RESOURCE, SCOPE, span("s").setParentSpanId(ByteString.copyFrom(new byte[8])).build());

        assertThat(root.isRoot()).isTrue();
        assertThat(root.parentSpanId).isEmpty();
    }

    @Test
    void enumValuesThisProtoDoesNotKnowAreUnspecified() throws Exception {
        io.telemetrysuite.model.Span span = OtlpMapper.toSpan(RESOURCE, SCOPE,
                span("s").setKindValue(9).setStatus(Status.newBuilder().setCodeValue(7)).build());

        assertThat(span.kind).isEqualTo("UNSPECIFIED");
        assertThat(span.statusCode).isEqualTo("UNSET");
    }

    @Test
    void serviceNameIsEmptyWithoutTheResourceAttribute() throws Exception {
        assertThat(OtlpMapper.toSpan(Resource.getDefaultInstance(), SCOPE, span("s").build()).serviceName).isEmpty();
    }

    @Test
    void eachSpanOwnsItsResourceAttributes() throws Exception {
        OtlpMapper.Context context = OtlpMapper.context(RESOURCE, SCOPE);
        io.telemetrysuite.model.Span first = OtlpMapper.toSpan(context, span("a").build());

        first.resourceAttributes.put("service.name", "masked");

        assertThat(OtlpMapper.toSpan(context, span("b").build()).resourceAttributes).containsEntry("service.name", "cart");
    }

    @Test
    void logIdsAreOptionalButMustHaveTheirLengthWhenPresent() throws Exception {
        assertThat(OtlpMapper.toLog(RESOURCE, SCOPE, LogRecord.getDefaultInstance()).traceId).isEmpty();
        assertThat(OtlpMapper.toLog(RESOURCE, SCOPE, LogRecord.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])).build()).spanId).isEmpty();

        OtlpDecodeException e = rejected(() -> OtlpMapper.toLog(RESOURCE, SCOPE, LogRecord.newBuilder()
                .setTimeUnixNano(42).setEventName("login").setTraceId(id("0102")).build()));

        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TRACE_ID);
        assertThat(e.signal()).isEqualTo("log");
        assertThat(e.getMessage()).isEqualTo("traceId of log record at timeUnixNano 42 (event 'login') has 2 bytes (0102), expected 16");
    }

    @Test
    void summariesMapQuantilesAndTheirValues() throws Exception {
        Metric metric = Metric.newBuilder().setName("rpc.duration").setUnit("ms").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setCount(10).setSum(55.5).setTimeUnixNano(7)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(4))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9.5)))).build();

        MetricPoint point = OtlpMapper.toMetricPoints(RESOURCE, SCOPE, metric).get(0);

        assertThat(point.type).isEqualTo("SUMMARY");
        assertThat(point.count).isEqualTo(10);
        assertThat(point.sum).isEqualTo(55.5);
        assertThat(point.quantiles).containsExactly(0.5, 0.99);
        assertThat(point.quantileValues).containsExactly(4.0, 9.5);
        assertThat(point.aggregationTemporality).isEqualTo("UNSPECIFIED");
        assertThat(point.serviceName).isEqualTo("cart");
    }

    @Test
    void aBadPointRejectsOnlyItselfWhenMappedByIndex() throws Exception {
        Metric metric = Metric.newBuilder().setName("temp").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1))
                .addDataPoints(NumberDataPoint.newBuilder())
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(3.5))).build();
        OtlpMapper.Context context = OtlpMapper.context(RESOURCE, SCOPE);

        assertThat(OtlpMapper.pointCount(metric)).isEqualTo(3);
        assertThat(OtlpMapper.toMetricPoint(context, metric, 0).value).isEqualTo(1.0);
        assertThat(rejected(() -> OtlpMapper.toMetricPoint(context, metric, 1)))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_REQUIRED_FIELD))
                .hasMessage("gauge 'temp' data point 1 has no value (asDouble or asInt)");
        assertThat(OtlpMapper.toMetricPoint(context, metric, 2).value).isEqualTo(3.5);
    }

    @Test
    void aHistogramWhoseCountsDoNotMatchItsBoundsHasTheWrongShape() throws Exception {
        Metric metric = Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().addAllExplicitBounds(List.of(1.0, 2.0)).addAllBucketCounts(List.of(1L, 2L)))
                .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).setSum(6))).build();
        OtlpMapper.Context context = OtlpMapper.context(RESOURCE, SCOPE);

        assertThat(rejected(() -> OtlpMapper.toMetricPoint(context, metric, 0)))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SHAPE))
                .hasMessage("histogram 'latency' data point 0 has 2 bucket counts for 2 explicit bounds; expected 3");
        assertThat(OtlpMapper.toMetricPoint(context, metric, 1).count).as("no buckets at all is allowed").isEqualTo(3);
    }

    @Test
    void aMetricWithoutDataIsMissingAField() {
        Metric metric = Metric.newBuilder().setName("empty").build();

        assertThat(OtlpMapper.pointCount(metric)).isZero();
        assertThat(rejected(() -> OtlpMapper.toMetricPoint(OtlpMapper.context(RESOURCE, SCOPE), metric, 0)))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_REQUIRED_FIELD))
                .hasMessageStartingWith("metric 'empty' has no data");
    }

    @Test
    void temporalityGivenByNameInJsonMaps() throws Exception {
        ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) OtlpDecoder.decodeJson(("{\"resourceMetrics\":[{\"scopeMetrics\":"
                + "[{\"metrics\":[{\"name\":\"c\",\"sum\":{\"aggregationTemporality\":\"AGGREGATION_TEMPORALITY_DELTA\",\"isMonotonic\":true,"
                + "\"dataPoints\":[{\"asInt\":\"5\",\"startTimeUnixNano\":\"1\",\"timeUnixNano\":2}]}}]}]}]}").getBytes(UTF_8));
        var rm = request.getResourceMetrics(0);

        MetricPoint point = OtlpMapper.toMetricPoints(rm.getResource(), rm.getScopeMetrics(0).getScope(), rm.getScopeMetrics(0).getMetrics(0)).get(0);

        assertThat(point.aggregationTemporality).isEqualTo("DELTA");
        assertThat(point.monotonic).isTrue();
        assertThat(point.value).isEqualTo(5.0);
        assertThat(point.startTimeUnixNano).isEqualTo(1);
        assertThat(point.timeUnixNano).isEqualTo(2);
    }
}
