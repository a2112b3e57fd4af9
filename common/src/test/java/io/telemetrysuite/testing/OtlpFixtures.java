package io.telemetrysuite.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OTLP test data made by the real OpenTelemetry Java SDK and marshalled by the SDK's own OTLP
 * exporter code, so tests decode exactly what an instrumented service sends: protobuf bytes as the
 * Collector's Kafka exporter writes them with {@code otlp_proto}, and OTLP JSON lines as its file
 * exporter writes them (hex ids, integer enums, 64-bit integers as strings).
 *
 * <p>Everything is deterministic (ids, clocks, timestamps), so expected values can be written into
 * tests. Shared with every job's tests through common's test-jar.
 */
public final class OtlpFixtures {
    /** 2026-01-01T00:00:00Z, the epoch every fixture's timestamps count from. */
    public static final long BASE_EPOCH_NANOS = 1_767_225_600_000_000_000L;
    public static final long MILLI = 1_000_000L;

    public static final String SCOPE_NAME = "io.telemetrysuite.fixtures";
    public static final String SCOPE_VERSION = "1.2.3";

    /** The resource of {@link #richSpans()}, {@link #richMetrics()} and {@link #richLogs()}. */
    public static final Resource RESOURCE = resource("checkout");

    /** Services of {@link #checkoutTrace(int, long, boolean)}. */
    public static final String FRONTEND = "frontend";
    public static final String CHECKOUT = "checkout";
    public static final String PAYMENT = "payment";

    /** Span attributes of every type the SDK has, including the complex {@link Value} type. */
    public static final Attributes EVERY_TYPE = Attributes.builder()
            .put("http.request.method", "GET")
            .put("retry", true)
            .put("http.response.status_code", 200L)
            .put("sample.ratio", 0.25)
            .put("whole.double", 3.0)
            .put(AttributeKey.stringArrayKey("tags"), List.of("a", "b\"c"))
            .put(AttributeKey.booleanArrayKey("flags"), List.of(true, false))
            .put(AttributeKey.longArrayKey("ports"), List.of(80L, 443L))
            .put(AttributeKey.doubleArrayKey("weights"), List.of(1.5, 2.0))
            .put(AttributeKey.valueKey("payload"), Value.of(new byte[] {1, 2, 3, (byte) 0xff}))
            .put(AttributeKey.valueKey("owner"), Value.of(KeyValue.of("team", Value.of("payments")), KeyValue.of("tier", Value.of(1L))))
            .build();

    /** How the event model renders {@link #EVERY_TYPE}. */
    public static final Map<String, String> EVERY_TYPE_RENDERED = Map.ofEntries(
            Map.entry("http.request.method", "GET"),
            Map.entry("retry", "true"),
            Map.entry("http.response.status_code", "200"),
            Map.entry("sample.ratio", "0.25"),
            Map.entry("whole.double", "3.0"),
            Map.entry("tags", "[\"a\",\"b\\\"c\"]"),
            Map.entry("flags", "[true,false]"),
            Map.entry("ports", "[80,443]"),
            Map.entry("weights", "[1.5,2.0]"),
            Map.entry("payload", "AQID/w=="),
            Map.entry("owner", "{\"team\":\"payments\",\"tier\":1}"));

    private OtlpFixtures() {}

    /** A resource with {@code service.name}, {@code service.version}, {@code deployment.environment.name} and {@code host.name}; no SDK defaults. */
    public static Resource resource(String serviceName) {
        return Resource.create(Attributes.builder()
                .put("service.name", serviceName)
                .put("service.version", "2.4.1")
                .put("deployment.environment.name", "test")
                .put("host.name", "node-7")
                .build());
    }

    // ---------------------------------------------------------------- traces

    /**
     * Spans covering everything the model keeps: every span kind, attributes of every type
     * ({@link #EVERY_TYPE}), events (one of them an exception), links with trace state and
     * attributes, statuses ERROR, OK and UNSET, a remote parent with trace state. Ids are those of
     * {@link #traceId(int)} and {@link #spanId(int, int)} for trace 1.
     */
    public static List<SpanData> richSpans() {
        CollectingSpanExporter exporter = new CollectingSpanExporter();
        SdkTracerProvider provider = tracerProvider(RESOURCE, exporter, 1);
        Tracer tracer = provider.tracerBuilder(SCOPE_NAME).setInstrumentationVersion(SCOPE_VERSION).build();
        long t0 = BASE_EPOCH_NANOS;

        SpanContext remoteParent = SpanContext.createFromRemoteParent(traceId(1), spanId(1, 0xff),
                TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build());
        SpanContext linked = SpanContext.create(traceId(2), spanId(2, 1), TraceFlags.getSampled(),
                TraceState.builder().put("other", "x").build());

        io.opentelemetry.api.trace.Span server = tracer.spanBuilder("GET /checkout")
                .setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(remoteParent)))
                .setSpanKind(SpanKind.SERVER)
                .setAllAttributes(EVERY_TYPE)
                .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "retry-of"))
                .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
                .startSpan();
        server.addEvent("cache.miss", Attributes.of(AttributeKey.longKey("cache.size"), 42L), t0 + 2 * MILLI, TimeUnit.NANOSECONDS);
        server.recordException(new IllegalStateException("card declined"),
                Attributes.of(AttributeKey.booleanKey("exception.escaped"), true));
        server.setStatus(StatusCode.ERROR, "card declined");

        Context serverContext = Context.root().with(server);
        long at = t0 + 10 * MILLI;
        for (SpanKind kind : new SpanKind[] {SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER}) {
            io.opentelemetry.api.trace.Span child = tracer.spanBuilder(kind.name().toLowerCase() + " work")
                    .setParent(serverContext).setSpanKind(kind).setStartTimestamp(at, TimeUnit.NANOSECONDS).startSpan();
            if (kind == SpanKind.CLIENT) child.setStatus(StatusCode.OK);
            child.end(at + 5 * MILLI, TimeUnit.NANOSECONDS);
            at += 10 * MILLI;
        }
        server.end(t0 + 100 * MILLI, TimeUnit.NANOSECONDS);
        provider.close();
        return exporter.spans;
    }

    /**
     * One trace of the known topology: frontend → checkout → payment, and a database client span of
     * checkout, six spans of three services. {@code traceNumber} (0 or more) makes the ids, so many
     * distinct traces can be made; with {@code paymentFails} the payment server span and the spans
     * above it end with status ERROR and HTTP 500/502. Times are offsets from {@code startEpochNanos}:
     *
     * <pre>
     * frontend SERVER "GET /checkout"       0 .. 120 ms   (root)
     * frontend CLIENT "POST /api/checkout"  5 .. 115 ms
     * checkout SERVER "POST /api/checkout" 10 .. 110 ms
     * checkout CLIENT "SELECT orders"      15 ..  35 ms   db.system.name=postgresql, server.address=orders-db
     * checkout CLIENT "POST /charge"       40 .. 100 ms
     * payment  SERVER "POST /charge"       45 ..  95 ms
     * </pre>
     *
     * Spans come in the order they ended, as an exporter sees them.
     */
    public static List<SpanData> checkoutTrace(int traceNumber, long startEpochNanos, boolean paymentFails) {
        CollectingSpanExporter exporter = new CollectingSpanExporter();
        DeterministicIds ids = new DeterministicIds(traceNumber);
        SdkTracerProvider frontend = tracerProvider(resource(FRONTEND), exporter, ids);
        SdkTracerProvider checkout = tracerProvider(resource(CHECKOUT), exporter, ids);
        SdkTracerProvider payment = tracerProvider(resource(PAYMENT), exporter, ids);
        long t = startEpochNanos;
        int status = paymentFails ? 502 : 200;

        io.opentelemetry.api.trace.Span root = start(frontend, FRONTEND, "GET /checkout", SpanKind.SERVER, null, t)
                .setAttribute("http.request.method", "GET").setAttribute("http.route", "/checkout")
                .setAttribute("http.response.status_code", paymentFails ? 500 : 200);
        io.opentelemetry.api.trace.Span call = start(frontend, FRONTEND, "POST /api/checkout", SpanKind.CLIENT, root, t + 5 * MILLI)
                .setAttribute("http.request.method", "POST").setAttribute("server.address", CHECKOUT)
                .setAttribute("http.response.status_code", status);
        io.opentelemetry.api.trace.Span handle = start(checkout, CHECKOUT, "POST /api/checkout", SpanKind.SERVER, call, t + 10 * MILLI)
                .setAttribute("http.request.method", "POST").setAttribute("http.route", "/api/checkout")
                .setAttribute("http.response.status_code", status);
        start(checkout, CHECKOUT, "SELECT orders", SpanKind.CLIENT, handle, t + 15 * MILLI)
                .setAttribute("db.system.name", "postgresql").setAttribute("db.operation.name", "SELECT")
                .setAttribute("db.collection.name", "orders").setAttribute("server.address", "orders-db")
                .end(t + 35 * MILLI, TimeUnit.NANOSECONDS);
        io.opentelemetry.api.trace.Span charge = start(checkout, CHECKOUT, "POST /charge", SpanKind.CLIENT, handle, t + 40 * MILLI)
                .setAttribute("http.request.method", "POST").setAttribute("server.address", PAYMENT)
                .setAttribute("http.response.status_code", paymentFails ? 500 : 200);
        io.opentelemetry.api.trace.Span pay = start(payment, PAYMENT, "POST /charge", SpanKind.SERVER, charge, t + 45 * MILLI)
                .setAttribute("http.request.method", "POST").setAttribute("http.route", "/charge")
                .setAttribute("http.response.status_code", paymentFails ? 500 : 200);
        if (paymentFails) {
            pay.recordException(new IllegalStateException("card declined"));
            for (io.opentelemetry.api.trace.Span failed : List.of(pay, charge, handle, call, root)) {
                failed.setStatus(StatusCode.ERROR);
            }
        }
        pay.end(t + 95 * MILLI, TimeUnit.NANOSECONDS);
        charge.end(t + 100 * MILLI, TimeUnit.NANOSECONDS);
        handle.end(t + 110 * MILLI, TimeUnit.NANOSECONDS);
        call.end(t + 115 * MILLI, TimeUnit.NANOSECONDS);
        root.end(t + 120 * MILLI, TimeUnit.NANOSECONDS);
        frontend.close();
        checkout.close();
        payment.close();
        return exporter.spans;
    }

    private static io.opentelemetry.api.trace.Span start(SdkTracerProvider provider, String service, String name, SpanKind kind,
                                                         io.opentelemetry.api.trace.Span parent, long startNanos) {
        return provider.get("io.telemetrysuite.fixtures." + service)
                .spanBuilder(name)
                .setParent(parent == null ? Context.root() : Context.root().with(parent))
                .setSpanKind(kind)
                .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .startSpan();
    }

    /** The trace id of trace {@code traceNumber} in these fixtures: 32 hex digits. */
    public static String traceId(int traceNumber) {
        return "4bf92f3577b34da6" + hex16(0xa3ce929d00000000L + traceNumber);
    }

    /** Span {@code n} (from 1) of trace {@code traceNumber} in these fixtures: 16 hex digits. */
    public static String spanId(int traceNumber, int n) {
        return hex16(0x00f067aa00000000L | ((long) traceNumber << 16) | n);
    }

    private static String hex16(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    private static SdkTracerProvider tracerProvider(Resource resource, SpanExporter exporter, int traceNumber) {
        return tracerProvider(resource, exporter, new DeterministicIds(traceNumber));
    }

    private static SdkTracerProvider tracerProvider(Resource resource, SpanExporter exporter, IdGenerator ids) {
        return SdkTracerProvider.builder()
                .setResource(resource)
                .setIdGenerator(ids)
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
    }

    /** Ids of {@link #traceId(int)} and {@link #spanId(int, int)}, spans numbered in start order. */
    private static final class DeterministicIds implements IdGenerator {
        private final int traceNumber;
        private int spans;

        DeterministicIds(int traceNumber) {
            this.traceNumber = traceNumber;
        }

        @Override
        public String generateSpanId() {
            return spanId(traceNumber, ++spans);
        }

        @Override
        public String generateTraceId() {
            return traceId(traceNumber);
        }
    }

    /** Keeps what it is given; what SimpleSpanProcessor hands it on each span's end. */
    public static final class CollectingSpanExporter implements SpanExporter {
        public final List<SpanData> spans = new ArrayList<>();

        @Override
        public synchronized CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** An export request of these spans as protobuf bytes. */
    public static byte[] traceRequestProto(Collection<SpanData> spans) {
        return binary(TraceRequestMarshaler.create(spans));
    }

    /** An export request of these spans as one line of OTLP JSON (no newline). */
    public static String traceRequestJson(Collection<SpanData> spans) {
        return json(TraceRequestMarshaler.create(spans));
    }

    // ---------------------------------------------------------------- metrics

    /**
     * One collection of an {@link SdkMeterProvider} (cumulative temporality) with: a double gauge
     * {@code system.memory.utilization} (0.42), a long gauge {@code queue.depth.now} (7), a monotonic
     * long counter {@code http.server.requests} (3), a double up-down counter {@code queue.depth}
     * (-2.5), an explicit-bucket histogram {@code http.server.request.duration} (bounds 0.1, 0.5, 1.0;
     * values 0.05, 0.3, 0.7, 2.0) and an exponential histogram {@code gen_ai.server.time_to_first_token}
     * (values 0.5, 1, 2, 4). Points start at {@link #BASE_EPOCH_NANOS} and are collected 10 s later.
     */
    public static List<MetricData> richMetrics() {
        MutableClock clock = new MutableClock(BASE_EPOCH_NANOS);
        CollectingMetricReader reader = new CollectingMetricReader();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(RESOURCE)
                .setClock(clock)
                .registerMetricReader(reader)
                .registerView(InstrumentSelector.builder().setName("gen_ai.server.time_to_first_token").build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .build();
        Meter meter = provider.meterBuilder(SCOPE_NAME).setInstrumentationVersion(SCOPE_VERSION).build();
        Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/checkout", AttributeKey.longKey("shard"), 3L);

        meter.gaugeBuilder("system.memory.utilization").setUnit("1").setDescription("Memory in use").build().set(0.42, route);
        meter.gaugeBuilder("queue.depth.now").ofLongs().build().set(7, route);
        meter.counterBuilder("http.server.requests").setUnit("{request}").build().add(3, route);
        meter.upDownCounterBuilder("queue.depth").ofDoubles().build().add(-2.5, route);
        var duration = meter.histogramBuilder("http.server.request.duration").setUnit("s")
                .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
        for (double v : new double[] {0.05, 0.3, 0.7, 2.0}) duration.record(v, route);
        var ttft = meter.histogramBuilder("gen_ai.server.time_to_first_token").setUnit("s").build();
        for (double v : new double[] {0.5, 1, 2, 4}) ttft.record(v, route);

        clock.nanos = BASE_EPOCH_NANOS + 10_000 * MILLI;
        List<MetricData> metrics = new ArrayList<>(reader.collect());
        provider.close();
        return metrics;
    }

    /** A pull reader that collects on demand; what InMemoryMetricReader of sdk-testing does. */
    private static final class CollectingMetricReader implements MetricReader {
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        Collection<MetricData> collect() {
            return registration.collectAllMetrics();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** A clock tests move by hand. */
    private static final class MutableClock implements Clock {
        volatile long nanos;

        MutableClock(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public long now() {
            return nanos;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }

    /** An export request of these metrics as protobuf bytes. */
    public static byte[] metricsRequestProto(Collection<MetricData> metrics) {
        return binary(MetricsRequestMarshaler.create(metrics));
    }

    /** An export request of these metrics as one line of OTLP JSON (no newline). */
    public static String metricsRequestJson(Collection<MetricData> metrics) {
        return json(MetricsRequestMarshaler.create(metrics));
    }

    // ---------------------------------------------------------------- logs

    /**
     * Three log records of an {@link SdkLoggerProvider}: an ERROR with a string body, event name
     * {@code payment.failed}, attributes of every type and the context of span 1 of trace 1
     * ({@link #traceId(int)}, {@link #spanId(int, int)}); an INFO with a structured (map) body and no
     * span; a DEBUG with a bytes body, no timestamp (only the observed one) and no severity text.
     */
    public static List<LogRecordData> richLogs() {
        CollectingLogExporter exporter = new CollectingLogExporter();
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(RESOURCE)
                .setClock(new MutableClock(BASE_EPOCH_NANOS + 50 * MILLI))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
        Logger logger = provider.loggerBuilder(SCOPE_NAME).setInstrumentationVersion(SCOPE_VERSION).build();
        SpanContext span = SpanContext.create(traceId(1), spanId(1, 1), TraceFlags.getSampled(), TraceState.getDefault());

        logger.logRecordBuilder()
                .setTimestamp(BASE_EPOCH_NANOS + MILLI, TimeUnit.NANOSECONDS)
                .setObservedTimestamp(BASE_EPOCH_NANOS + 2 * MILLI, TimeUnit.NANOSECONDS)
                .setSeverity(Severity.ERROR)
                .setSeverityText("ERROR")
                .setBody("payment failed: card declined")
                .setEventName("payment.failed")
                .setAllAttributes(EVERY_TYPE)
                .setContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(span)))
                .emit();
        logger.logRecordBuilder()
                .setTimestamp(BASE_EPOCH_NANOS + 3 * MILLI, TimeUnit.NANOSECONDS)
                .setSeverity(Severity.INFO)
                .setSeverityText("INFO")
                .setBody(Value.of(Map.of("order", Value.of("o-17"), "items", Value.of(Value.of(1L), Value.of(2.5)))))
                .emit();
        logger.logRecordBuilder()
                .setSeverity(Severity.DEBUG)
                .setBody(Value.of(new byte[] {0, 1, 2}))
                .emit();
        provider.close();
        return exporter.logs;
    }

    /** Keeps what SimpleLogRecordProcessor hands it on each emit. */
    public static final class CollectingLogExporter implements LogRecordExporter {
        public final List<LogRecordData> logs = new ArrayList<>();

        @Override
        public synchronized CompletableResultCode export(Collection<LogRecordData> batch) {
            logs.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** An export request of these log records as protobuf bytes. */
    public static byte[] logsRequestProto(Collection<LogRecordData> logs) {
        return binary(LogsRequestMarshaler.create(logs));
    }

    /** An export request of these log records as one line of OTLP JSON (no newline). */
    public static String logsRequestJson(Collection<LogRecordData> logs) {
        return json(LogsRequestMarshaler.create(logs));
    }

    // ---------------------------------------------------------------- marshalling

    private static byte[] binary(Marshaler marshaler) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            marshaler.writeBinaryTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String json(Marshaler marshaler) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            marshaler.writeJsonTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
