package io.telemetrysuite.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.generator.Decoded.ResourcedSpan;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticWorkloadTest {
    private static final long START = GeneratorConfig.DEFAULT_START_MILLIS;
    private static final long MIN = 60_000L;

    @Test
    void sameSeedAndTimeGiveTheSameBytesInAnyOrder() {
        SyntheticWorkload a = new SyntheticWorkload(new GeneratorConfig());
        SyntheticWorkload b = new SyntheticWorkload(new GeneratorConfig());
        List<GeneratedRecord> forward = Decoded.run(a, START, START + 30_000);
        // b generates the same windows backwards: each window depends only on (seed, shard, window).
        List<List<GeneratedRecord>> backward = new ArrayList<>();
        for (long t = START + 29_000; t >= START; t -= 1_000) backward.add(0, b.tick(t));
        assertThat(backward.stream().flatMap(List::stream).collect(Collectors.toList())).isEqualTo(forward);
        assertThat(a.tick(START + 12_345)).isEqualTo(a.tick(START + 12_000));

        GeneratorConfig other = new GeneratorConfig();
        other.seed = 43;
        assertThat(new SyntheticWorkload(other).tick(START)).isNotEqualTo(a.tick(START));
        GeneratorConfig shard1 = new GeneratorConfig();
        shard1.shard = 1;
        shard1.shardCount = 2;
        assertThat(new SyntheticWorkload(shard1).tick(START)).isNotEqualTo(a.tick(START));
    }

    @Test
    void everySignalDecodesAndMatchesTheCounts() {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.malformedRate = 0;
        SyntheticWorkload w = new SyntheticWorkload(cfg);
        Decoded d = Decoded.of(Decoded.run(w, START, START + 60_000));
        GenerationStats s = w.stats();

        assertThat(s.spans).isGreaterThan(50_000);
        assertThat((long) d.spans.size()).isEqualTo(s.spans);
        assertThat((long) d.logs.size()).isEqualTo(s.logRecords);
        assertThat(d.metricPoints()).isEqualTo(s.metricDataPoints);
        assertThat((long) d.workload.size()).isEqualTo(s.workloadRecords).isEqualTo(s.traces);
        assertThat((long) d.system.size()).isEqualTo(s.systemSamples).isEqualTo(6L * SyntheticWorkload.hosts().size());
        assertThat((long) d.inference.size()).isEqualTo(s.inferenceSamples).isPositive();
        assertThat(s.malformedTotal()).isZero();

        Set<ByteString> spanIds = new HashSet<>();
        for (ResourcedSpan rs : d.spans) {
            Span sp = rs.span();
            assertThat(sp.getTraceId().size()).isEqualTo(16);
            assertThat(sp.getSpanId().size()).isEqualTo(8);
            assertThat(sp.getTraceId()).isNotEqualTo(ByteString.copyFrom(new byte[16]));
            assertThat(sp.getParentSpanId().size()).isIn(0, 8);
            assertThat(sp.getEndTimeUnixNano()).isGreaterThan(sp.getStartTimeUnixNano());
            assertThat(rs.service()).isNotEmpty();
            assertThat(Decoded.attr(rs.resource().getAttributesList(), "host.name")).startsWith("host-");
            assertThat(spanIds.add(sp.getSpanId())).isTrue();
        }
        for (ResourcedSpan rs : d.spans) {
            if (!rs.isRoot()) assertThat(spanIds.contains(rs.span().getParentSpanId())).as("parent of %s", rs.span().getName()).isTrue();
        }
        assertThat(d.spans.stream().map(x -> x.span().getKind()).collect(Collectors.toSet())).containsExactlyInAnyOrder(
                Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_INTERNAL,
                Span.SpanKind.SPAN_KIND_PRODUCER, Span.SpanKind.SPAN_KIND_CONSUMER);
        Set<String> keys = d.spans.stream().flatMap(x -> x.span().getAttributesList().stream()).map(kv -> kv.getKey())
                .collect(Collectors.toSet());
        assertThat(keys).contains("http.request.method", "http.route", "http.response.status_code", "server.address",
                "db.system.name", "db.namespace", "peer.service", "rpc.system", "enduser.id", "client.address",
                "gen_ai.request.model", "messaging.destination.name");
        assertThat(d.spans.get(0).attr("enduser.id") == null || d.spans.get(0).attr("enduser.id").contains("@")).isTrue();

        for (ExportTraceServiceRequest req : d.traceRequests) {
            int n = req.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                    .mapToInt(ss -> ss.getSpansCount()).sum();
            assertThat(n).isLessThanOrEqualTo(cfg.batchMax);
            for (ResourceSpans rs : req.getResourceSpansList()) {
                assertThat(Decoded.attr(rs.getResource().getAttributesList(), "telemetry.sdk.language")).isNotEmpty();
            }
        }
        assertThat(d.logs).allSatisfy(l -> {
            assertThat(l.getTraceId().size()).isEqualTo(16);
            assertThat(l.getSpanId().size()).isEqualTo(8);
        });
        assertThat(d.logs.stream().map(l -> l.getSeverityText()).collect(Collectors.toSet())).contains("INFO", "WARN", "ERROR");

        Map<String, List<Metric>> byName = d.metrics.stream().collect(Collectors.groupingBy(Metric::getName));
        assertThat(byName).containsKeys("system.cpu.utilization", "system.memory.usage", "http.server.request.duration",
                "http.client.request.duration");
        assertThat(byName.get("system.cpu.utilization")).allMatch(Metric::hasGauge);
        assertThat(byName.get("system.memory.usage")).allMatch(m -> m.hasSum() && !m.getSum().getIsMonotonic());
        long requests = 0;
        for (Metric m : byName.get("http.server.request.duration")) {
            for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                assertThat(p.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.getCount());
                requests += p.getCount();
            }
        }
        assertThat(requests).isEqualTo(s.traces);
        for (Metric m : byName.get("http.client.request.duration")) {
            for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                long inBuckets = p.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum();
                assertThat(inBuckets).isEqualTo(p.getCount());
                double lower = Math.pow(2, Math.pow(2, -p.getScale()) * p.getPositive().getOffset());
                assertThat(p.getMin()).isGreaterThan(lower);
            }
        }
    }

    @Test
    void recordsCarryTheSignalFirstAndTheModelFields() throws Exception {
        SyntheticWorkload w = new SyntheticWorkload(new GeneratorConfig());
        List<GeneratedRecord> out = w.tick(START);
        GeneratedRecord rec = out.stream().filter(r -> r.topic.equals("telemetry_records") && !r.isMalformed())
                .findFirst().orElseThrow();
        String json = new String(rec.value, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"signal\":\"workload\",\"timestampMillis\":");
        WorkloadRecord back = EventJson.fromBytes(rec.value, WorkloadRecord.class);
        assertThat(back.user).endsWith("@example.com");
        assertThat(back.requestId).matches("[0-9a-f]{32}");
        assertThat(back.route).startsWith("/api/");
        assertThat(rec.key).isNotNull();
    }

    @Test
    void errorAndSlowFractionsMatchTheConfigOver100kSpans() {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.anomalies.clear();
        cfg.malformedRate = 0;
        cfg.errorRate = 0.05;
        cfg.slowRate = 0.05;
        cfg.tracesPerSecond = 2_000;
        cfg.emitLogs = false;
        cfg.emitMetrics = false;
        cfg.emitRecords = false;
        SyntheticWorkload w = new SyntheticWorkload(cfg);
        Decoded d = new Decoded();
        for (long t = START; d.spans.size() < 100_000; t += cfg.tickMillis) w.tick(t).forEach(d::add);

        Map<String, SyntheticWorkload.RouteInfo> routes = SyntheticWorkload.routes().stream()
                .collect(Collectors.toMap(r -> r.route, Function.identity()));
        List<ResourcedSpan> roots = d.spans.stream().filter(ResourcedSpan::isRoot).collect(Collectors.toList());
        assertThat((long) roots.size()).isEqualTo(w.stats().traces);
        double errors = roots.stream().filter(r -> r.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).count();
        double slow = roots.stream().filter(r -> r.durationMs() > routes.get(r.attr("http.route")).slowThresholdMs).count();
        System.out.printf("roots=%d error fraction=%.4f slow fraction=%.4f%n", roots.size(), errors / roots.size(), slow / roots.size());
        assertThat(errors / roots.size()).isCloseTo(0.05, within(0.0075));
        assertThat(slow / roots.size()).isCloseTo(0.05, within(0.0075));
        assertThat((long) errors).isEqualTo(w.stats().errorTraces);
        assertThat((long) slow).isEqualTo(w.stats().slowTraces);
        // Every failed trace returns 5xx at its root; the rest 2xx or 401 (login).
        for (ResourcedSpan r : roots) {
            int code = Integer.parseInt(r.attr("http.response.status_code"));
            boolean error = r.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
            assertThat(code >= 500).isEqualTo(error);
        }
    }

    @Test
    void loadFollowsTheSinusoid() {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.burstIntensity = 1.0;
        SyntheticWorkload w = new SyntheticWorkload(cfg);
        assertThat(w.expectedTracesPerSecond(START + cfg.periodMillis / 4)).isCloseTo(360.0, within(1e-6));
        assertThat(w.expectedTracesPerSecond(START + 3 * cfg.periodMillis / 4)).isCloseTo(40.0, within(1e-6));
        GeneratorConfig bursty = new GeneratorConfig();
        SyntheticWorkload b = new SyntheticWorkload(bursty);
        long burstSeconds = 0;
        for (long t = START; t < START + bursty.burstIntervalMillis; t += 1_000) {
            if (b.expectedTracesPerSecond(t) > w.expectedTracesPerSecond(t) * 1.5) burstSeconds++;
        }
        assertThat(burstSeconds).isEqualTo(bursty.burstDurationMillis / 1_000);
    }

    @Test
    void anomaliesHappenAtTheirScheduledTimes() {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.tracesPerSecond = 50;
        cfg.malformedRate = 0;
        SyntheticWorkload w = new SyntheticWorkload(cfg);
        List<Anomaly> schedule = w.anomaliesBetween(START, START + 20 * MIN);
        assertThat(schedule).extracting(a -> a.kind).containsExactly(AnomalyKind.CPU_PLATEAU, AnomalyKind.ERROR_BURST,
                AnomalyKind.HEARTBEAT_STOP, AnomalyKind.LATENCY_SHIFT, AnomalyKind.FAILED_LOGINS);
        assertThat(w.anomaliesBetween(START + 20 * MIN, START + 40 * MIN)).extracting(a -> a.startMillis)
                .containsExactlyElementsOf(schedule.stream().map(a -> a.startMillis + 20 * MIN).collect(Collectors.toList()));

        // CPU plateau: host-3 above 90% from minute 2 to 7, below before and after.
        Decoded cpu = Decoded.of(Decoded.run(w, START + 60_000, START + 8 * MIN));
        for (SystemSample s : cpu.system) {
            if (!s.host.equals("host-3")) continue;
            boolean plateau = s.timestampMillis >= START + 2 * MIN && s.timestampMillis < START + 7 * MIN;
            assertThat(s.cpuPercent() > 90).as("host-3 at %d", s.timestampMillis).isEqualTo(plateau);
            if (plateau) assertThat(java.util.Arrays.stream(s.cpuPercentPerCore).min().orElse(0)).isGreaterThan(90);
        }

        // Error burst: every call through payment fails with 503 for 30 s from minute 8.
        Anomaly burst = schedule.get(1);
        Decoded errors = Decoded.of(Decoded.run(w, burst.startMillis - 10_000, burst.endMillis + 10_000));
        List<ResourcedSpan> checkouts = errors.spans.stream()
                .filter(s -> s.isRoot() && "/api/checkout".equals(s.attr("http.route"))).collect(Collectors.toList());
        for (ResourcedSpan s : checkouts) {
            boolean inBurst = burst.covers(s.span().getStartTimeUnixNano() / 1_000_000);
            if (inBurst) assertThat(s.attr("http.response.status_code")).isEqualTo("503");
        }
        assertThat(checkouts.stream().filter(s -> burst.covers(s.span().getStartTimeUnixNano() / 1_000_000))).hasSizeGreaterThan(100);
        Set<ByteString> burstTraces = checkouts.stream().filter(s -> burst.covers(s.span().getStartTimeUnixNano() / 1_000_000))
                .map(s -> s.span().getTraceId()).collect(Collectors.toSet());
        assertThat(errors.spans.stream().filter(s -> "payment".equals(s.service()) && burstTraces.contains(s.span().getTraceId())))
                .hasSize(burstTraces.size())
                .allMatch(s -> s.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);

        // Heartbeat: host-5 sends nothing from minute 10 to 13, and does right before and after.
        Anomaly heartbeat = schedule.get(2);
        Decoded hb = Decoded.of(Decoded.run(w, heartbeat.startMillis - 30_000, heartbeat.endMillis + 30_000));
        List<Long> host5 = hb.system.stream().filter(s -> s.host.equals("host-5")).map(s -> s.timestampMillis)
                .collect(Collectors.toList());
        assertThat(host5).noneMatch(heartbeat::covers).hasSize(6);
        assertThat(hb.system.stream().filter(s -> s.host.equals("host-4"))).hasSize(24);

        // Latency shift: /api/products is about 4x slower from minute 14 to 18.
        Anomaly shift = schedule.get(3);
        double before = medianRootMs(Decoded.run(w, shift.startMillis - 2 * MIN, shift.startMillis), "/api/products");
        double during = medianRootMs(Decoded.run(w, shift.startMillis, shift.startMillis + 2 * MIN), "/api/products");
        assertThat(during / before).isBetween(3.3, 4.8);

        // Failed logins: 5 failures from one address, then a success from another, at the scheduled times.
        Anomaly logins = schedule.get(4);
        Decoded fl = Decoded.of(Decoded.run(w, logins.startMillis - 1_000, logins.endMillis + 1_000));
        List<ResourcedSpan> attempts = fl.spans.stream()
                .filter(s -> "auth".equals(s.service()) && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                        && "dana.lee@example.com".equals(s.attr("enduser.id"))
                        && s.attr("client.address").startsWith("192.0.2."))
                .sorted((x, y) -> Long.compare(x.span().getStartTimeUnixNano(), y.span().getStartTimeUnixNano()))
                .collect(Collectors.toList());
        assertThat(attempts).extracting(s -> s.attr("http.response.status_code"))
                .containsExactly("401", "401", "401", "401", "401", "200");
        assertThat(attempts.subList(0, 5)).extracting(s -> s.attr("client.address")).containsOnly("192.0.2.66");
        assertThat(attempts.get(5).attr("client.address")).isEqualTo("192.0.2.77");
        long step = (logins.endMillis - logins.startMillis) / 6;
        for (int i = 0; i < 6; i++) {
            long at = logins.startMillis + i * step;
            // The auth span sits inside the frontend's root span, which starts exactly on schedule.
            assertThat(attempts.get(i).span().getStartTimeUnixNano() / 1_000_000).isBetween(at, at + 1_000);
            assertThat(fl.workload).anyMatch(r -> r.timestampMillis == at && r.user.equals("dana.lee@example.com"));
        }
    }

    private static double medianRootMs(List<GeneratedRecord> records, String route) {
        double[] ms = Decoded.of(records).spans.stream().filter(s -> s.isRoot() && route.equals(s.attr("http.route")))
                .mapToDouble(ResourcedSpan::durationMs).sorted().toArray();
        return ms[ms.length / 2];
    }

    @Test
    void theMalformedTrickleHasEveryKindAndEachIsBrokenAsAdvertised() throws Exception {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.malformedRate = 0.05;
        SyntheticWorkload w = new SyntheticWorkload(cfg);
        Decoded d = Decoded.of(Decoded.run(w, START, START + 60_000));
        Set<MalformedKind> seen = EnumSet.noneOf(MalformedKind.class);
        for (GeneratedRecord r : d.malformed) {
            MalformedKind kind = MalformedKind.valueOf(r.malformedKind);
            seen.add(kind);
            switch (kind) {
                case TRUNCATED_PROTOBUF:
                case GARBAGE_BYTES:
                    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(r.value))
                            .isInstanceOf(InvalidProtocolBufferException.class);
                    break;
                case INVALID_JSON:
                    assertThatThrownBy(() -> EventJson.mapper().readTree(r.value)).isInstanceOf(java.io.IOException.class);
                    break;
                case WRONG_SHAPE_JSON:
                    assertThat(EventJson.mapper().readTree(r.value).isObject()).isTrue();
                    assertThatThrownBy(() -> EventJson.fromBytes(r.value, SystemSample.class)).isInstanceOf(java.io.IOException.class);
                    break;
                default:
                    Span s = ExportTraceServiceRequest.parseFrom(r.value).getResourceSpans(0).getScopeSpans(0).getSpans(0);
                    ResourceSpans rs = ExportTraceServiceRequest.parseFrom(r.value).getResourceSpans(0);
                    switch (kind) {
                        case ZERO_TRACE_ID: assertThat(s.getTraceId()).isEqualTo(ByteString.copyFrom(new byte[16])); break;
                        case SHORT_SPAN_ID: assertThat(s.getSpanId().size()).isEqualTo(4); break;
                        case END_BEFORE_START: assertThat(s.getEndTimeUnixNano()).isLessThan(s.getStartTimeUnixNano()); break;
                        case FUTURE_TIMESTAMP:
                            assertThat(s.getStartTimeUnixNano() / 1_000_000).isGreaterThan(System.currentTimeMillis() + 5 * 365L * 24 * 3600 * 1000);
                            break;
                        case MISSING_SERVICE_NAME:
                            assertThat(Decoded.attr(rs.getResource().getAttributesList(), "service.name")).isNull();
                            break;
                        default: throw new AssertionError(kind);
                    }
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(MalformedKind.class));
        assertThat((long) d.malformed.size()).isEqualTo(w.stats().malformedTotal());
        for (MalformedKind k : MalformedKind.values()) {
            assertThat(d.malformed.stream().filter(r -> r.malformedKind.equals(k.name())).count()).isEqualTo(w.stats().malformed(k));
        }
        // The default trickle is about 1 in 2000 valid messages.
        GeneratorConfig defaults = new GeneratorConfig();
        SyntheticWorkload dw = new SyntheticWorkload(defaults);
        long valid = Decoded.run(dw, START, START + 10 * MIN).stream().filter(r -> !r.isMalformed()).count();
        assertThat((double) dw.stats().malformedTotal()).isCloseTo(valid / 2000.0, within(Math.max(5.0, valid / 2000.0 * 0.4)));
    }

    @Test
    void generationThroughput() {
        GeneratorConfig spansOnly = new GeneratorConfig();
        spansOnly.tracesPerSecond = 10_000;
        spansOnly.emitLogs = false;
        spansOnly.emitMetrics = false;
        spansOnly.emitRecords = false;
        GeneratorConfig everything = new GeneratorConfig();
        everything.tracesPerSecond = 10_000;
        for (GeneratorConfig cfg : List.of(spansOnly, everything)) {
            SyntheticWorkload w = new SyntheticWorkload(cfg);
            Decoded.run(w, START, START + 10_000); // warm-up: JIT
            long spans0 = w.stats().spans;
            long bytes = 0;
            long t0 = System.nanoTime();
            for (long t = START + 10_000; t < START + 40_000; t += 1_000) {
                for (GeneratedRecord r : w.tick(t)) bytes += r.value.length;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long spans = w.stats().spans - spans0;
            System.out.printf("generation (%s): %d spans in %.2f s = %.0f spans/s, %.1f MB/s%n",
                    cfg.emitRecords ? "all signals" : "spans only", spans, secs, spans / secs, bytes / secs / 1e6);
            assertThat(spans / secs).isGreaterThan(50_000);
        }
    }
}
