package io.telemetrysuite.testing;

import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.CriticalPathSection;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.Forecast;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.model.WorkloadRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of each model class with every field set to a value other than its default, so a
 * serializer, codec or copy that forgets a field shows up in a recursive comparison. Each call
 * returns a new, mutable instance.
 */
public final class ModelFixtures {
    private ModelFixtures() {}

    /** One of each model class, fully populated. */
    public static List<Object> allModelTypes() {
        return List.of(span(), spanEvent(), spanLink(), metricPoint(), logRecord(), workload(), system(), inference(),
                deadLetter(), rawRecord(), forecast(), alert(), trace(), criticalPathSection(), serviceGraphEdge());
    }

    public static Alert alert() {
        Alert a = new Alert();
        a.ruleId = "cpu-plateau";
        a.kind = "threshold";
        a.severity = "critical";
        a.status = Alert.RESOLVED;
        a.labels = map("host.name", "host-3", "team", "infra");
        a.annotations = map("summary", "CPU above 90 % on host-3");
        a.eventTime = 1_767_225_720_000L;
        a.startsAt = 1_767_225_600_000L;
        a.summary = "12 events, cpuPercent 91.2..97.0";
        a.events = new ArrayList<>(List.of("system@1767225600000 cpuPercent=91.2"));
        return a;
    }

    public static CriticalPathSection criticalPathSection() {
        return new CriticalPathSection("00f067aa0ba902b7", "checkout", "GET /cart", 1_250_000L);
    }

    public static Trace trace() {
        Trace t = new Trace();
        t.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        t.spanCount = 1;
        t.rootMissing = true;
        t.durationNanos = 5_000_000L;
        t.startTimeUnixNano = 1_767_225_600_000_000_000L;
        t.endTimeUnixNano = 1_767_225_600_005_000_000L;
        t.error = true;
        t.services = new ArrayList<>(List.of("checkout"));
        t.rootServiceName = "checkout";
        t.rootName = "GET /cart";
        t.sampled = true;
        t.policy = "errors";
        t.late = true;
        t.criticalPath = new ArrayList<>(List.of(criticalPathSection()));
        t.spans = new ArrayList<>(List.of(span()));
        return t;
    }

    public static ServiceGraphEdge serviceGraphEdge() {
        ServiceGraphEdge e = new ServiceGraphEdge();
        e.client = "checkout";
        e.server = "postgres";
        e.connectionType = "database";
        e.requests = 42;
        e.failed = 3;
        e.serverSecondsSum = 1.5;
        e.clientSecondsSum = 1.75;
        e.timestampMillis = 1_767_225_600_000L;
        e.failedSeries = true;
        e.bucketBounds = new double[] {0.002, 0.1, 1.0};
        e.serverBucketCounts = new long[] {1, 30, 10, 1};
        e.clientBucketCounts = new long[] {0, 31, 10, 1};
        return e;
    }

    public static Forecast forecast() {
        Forecast f = new Forecast();
        f.signal = "tenant";
        f.serviceName = "svc";
        f.tenant = "acme";
        f.quantity = "requests";
        f.resolution = "1m";
        f.issuedAt = 1_767_225_600_000L;
        f.targetTime = 1_767_225_780_000L;
        f.horizonSteps = 3;
        f.predicted = 812.5;
        f.lower = 700.25;
        f.upper = 924.75;
        f.model = "holt-winters";
        f.alpha = 0.3;
        f.beta = 0.05;
        f.gamma = 0.2;
        f.residualStdDev = 57.1;
        f.historyPoints = 180;
        return f;
    }

    public static WorkloadRecord workload() {
        WorkloadRecord r = new WorkloadRecord();
        r.timestampMillis = 1_767_225_600_123L;
        r.tenant = "acme";
        r.user = "u-42";
        r.requestId = "req-1";
        r.route = "/api/chat";
        r.method = "POST";
        r.statusCode = 503;
        r.durationMs = 812.5;
        r.contextSize = 8192;
        r.memoryBytes = 3_221_225_472L;
        r.cpuPercent = 87.25;
        r.responseSizeBytes = 2048;
        r.errorMessage = "upstream timeout";
        r.serviceName = "chat-api";
        return r;
    }

    public static SystemSample system() {
        SystemSample s = new SystemSample();
        s.timestampMillis = 1_767_225_600_456L;
        s.host = "node-7";
        s.cpuPercentPerCore = new double[] {12.5, 99.0, 0.0, 100.0};
        s.memoryUsedBytes = 17_179_869_184L;
        s.memoryTotalBytes = 68_719_476_736L;
        s.cacheMisses = 123_456_789L;
        s.diskReadBytesPerSec = 1.5e6;
        s.diskWriteBytesPerSec = 2.25e6;
        s.networkRxBytesPerSec = 9.0e7;
        s.networkTxBytesPerSec = 4.5e7;
        s.queueDepth = 17;
        return s;
    }

    public static InferenceSample inference() {
        InferenceSample s = new InferenceSample();
        s.timestampMillis = 1_767_225_600_789L;
        s.host = "gpu-3";
        s.tenant = "acme";
        s.requestId = "req-2";
        s.model = "llama-3.1-70b";
        s.provider = "vllm";
        s.operation = "chat";
        s.inputTokens = 1500;
        s.outputTokens = 320;
        s.tokensPerSecond = 41.7;
        s.timeToFirstTokenMs = 180.0;
        s.durationMs = 7850.0;
        s.energyJoules = 2150.75;
        s.errorType = "";
        return s;
    }

    private static Map<String, String> map(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put(keyValues[i], keyValues[i + 1]);
        return map;
    }

    public static Span span() {
        Span s = new Span();
        s.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        s.spanId = "00f067aa0ba902b7";
        s.parentSpanId = "00f067aa0ba902b6";
        s.traceState = "vendor=v1";
        s.name = "GET /checkout";
        s.kind = "SERVER";
        s.startTimeUnixNano = 1_767_225_600_000_000_000L;
        s.endTimeUnixNano = 1_767_225_600_120_000_000L;
        s.statusCode = "ERROR";
        s.statusMessage = "card declined";
        s.serviceName = "frontend";
        s.scopeName = "scope";
        s.scopeVersion = "1.0";
        s.attributes = map("http.route", "/checkout", "http.response.status_code", "500");
        s.resourceAttributes = map("service.name", "frontend", "host.name", "node-7");
        s.events = new ArrayList<>(List.of(spanEvent()));
        s.links = new ArrayList<>(List.of(spanLink()));
        s.flags = 0x301;
        s.droppedAttributesCount = 1;
        s.droppedEventsCount = 2;
        s.droppedLinksCount = 3;
        s.adjustedCount = 10.0;
        s.sampledBy = Span.SampledBy.PROBABILITY;
        s.violations = new ArrayList<>(List.of("http.route.required"));
        return s;
    }

    public static SpanEvent spanEvent() {
        return new SpanEvent(1_767_225_600_010_000_000L, "exception", map("exception.type", "java.lang.IllegalStateException"));
    }

    public static SpanLink spanLink() {
        return new SpanLink("0102030405060708090a0b0c0d0e0f10", "0102030405060708", "other=x", map("link.reason", "retry-of"));
    }

    public static MetricPoint metricPoint() {
        MetricPoint p = new MetricPoint();
        p.metricName = "http.server.request.duration";
        p.description = "Duration";
        p.unit = "s";
        p.type = MetricPoint.Type.HISTOGRAM;
        p.serviceName = "checkout";
        p.scopeName = "scope";
        p.attributes = map("http.route", "/checkout");
        p.resourceAttributes = map("service.name", "checkout");
        p.startTimeUnixNano = 1;
        p.timeUnixNano = 2;
        p.flags = 1;
        p.value = 1.5;
        p.monotonic = true;
        p.aggregationTemporality = "DELTA";
        p.count = 4;
        p.sum = 3.05;
        p.hasMin = true;
        p.min = 0.05;
        p.hasMax = true;
        p.max = 2.0;
        p.bucketCounts = new long[] {1, 1, 1, 1};
        p.explicitBounds = new double[] {0.1, 0.5, 1.0};
        p.scale = 3;
        p.zeroCount = 2;
        p.zeroThreshold = 1e-9;
        p.positiveOffset = -4;
        p.positiveBucketCounts = new long[] {5, 6};
        p.negativeOffset = 2;
        p.negativeBucketCounts = new long[] {7};
        p.quantiles = new double[] {0.5, 0.99};
        p.quantileValues = new double[] {4, 9.5};
        p.violations = new ArrayList<>(List.of("unit.mismatch"));
        return p;
    }

    public static LogRecord logRecord() {
        LogRecord l = new LogRecord();
        l.timeUnixNano = 1;
        l.observedTimeUnixNano = 2;
        l.severityNumber = 17;
        l.severityText = "ERROR";
        l.body = "{\"order\":\"o-17\"}";
        l.eventName = "payment.failed";
        l.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        l.spanId = "00f067aa0ba902b7";
        l.flags = 1;
        l.serviceName = "payment";
        l.scopeName = "scope";
        l.attributes = map("k", "v");
        l.resourceAttributes = map("service.name", "payment");
        l.droppedAttributesCount = 4;
        l.violations = new ArrayList<>(List.of("rule"));
        return l;
    }

    public static DeadLetter deadLetter() {
        return new DeadLetter(DeadLetterReason.INVALID_JSON, "JSON at line 1 column 2: ...", "spans.jsonl:7", "span",
                new byte[] {'{', 'x'}, 1_767_225_600_000L);
    }

    public static RawRecord rawRecord() {
        return new RawRecord(new byte[] {0x0a, 0x7b}, "otlp_spans", 3, 12_345L, RawRecord.Encoding.OTLP_PROTO_TRACES, 1_767_225_600_000L);
    }}
