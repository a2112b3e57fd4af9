package io.telemetrysuite.generator;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.generator.ServiceCatalog.Instance;
import io.telemetrysuite.generator.ServiceCatalog.Node;
import io.telemetrysuite.generator.ServiceCatalog.NodeType;
import io.telemetrysuite.generator.ServiceCatalog.Route;
import io.telemetrysuite.generator.ServiceCatalog.Service;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic but realistic telemetry workload: the Kafka messages an OpenTelemetry Collector's Kafka
 * exporter would write for a small shop (OTLP protobuf export requests on {@code otlp_spans},
 * {@code otlp_metrics}, {@code otlp_logs}) plus the suite's own JSON records on
 * {@code telemetry_records}, with scheduled anomalies and a trickle of malformed records.
 *
 * <p>Output is a pure function of the config (seed, shard, ...) and the event-time window: each
 * {@link #tick(long)} seeds its own random source from (seed, shard, window index), so windows can be
 * generated in any order, in parallel subtasks, or again after a restart, and give the same bytes.
 * Only {@link #stats()} accumulates across calls.
 *
 * <p>Load follows {@code tracesPerSecond x (1 + amplitude sin(2 pi t / period)) x burst x noise}.
 * Each route's latency is log-normal below its slow threshold; {@code slowRate} of calls fall in a
 * Pareto tail above it; {@code errorRate} of traces fail at one of the route's error sites and the
 * error propagates up the call path. Not thread-safe: use one instance per thread.
 */
public final class SyntheticWorkload {

    /** What a route looks like to a test or benchmark. */
    public static final class RouteInfo {
        public final String method;
        public final String route;
        public final double weight;
        public final double medianMs;
        public final double slowThresholdMs;
        public final int spansPerTrace;

        RouteInfo(Route r) {
            this.method = r.method;
            this.route = r.path;
            this.weight = r.weight;
            this.medianMs = r.medianMs;
            this.slowThresholdMs = r.slowThresholdMs;
            this.spansPerTrace = r.nodes.length;
        }
    }

    private static final ServiceCatalog CATALOG = new ServiceCatalog();
    private static final long MS = 1_000_000L;
    /** Sampled, and the W3C "is_remote is known" bit; {@link #FLAGS_REMOTE} adds "parent is remote". */
    private static final int FLAGS_LOCAL = 0x101;
    private static final int FLAGS_REMOTE = 0x301;
    private static final int[] CODES = {200, 401, 500, 503};
    private static final KeyValue[] STATUS_KVS = new KeyValue[CODES.length];
    private static final KeyValue[] ERROR_TYPE_KVS = new KeyValue[CODES.length];
    private static final KeyValue GRPC_OK = Otlp.kv("rpc.grpc.status_code", 0L);
    /** INTERNAL for failures, UNAVAILABLE while the service is in an error burst. */
    private static final KeyValue GRPC_INTERNAL = Otlp.kv("rpc.grpc.status_code", 13L);
    private static final KeyValue GRPC_UNAVAILABLE = Otlp.kv("rpc.grpc.status_code", 14L);
    private static final Status STATUS_ERROR = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).build();
    private static final double[] HTTP_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    private static final List<Double> HTTP_BOUNDS_LIST;
    /** Base 2^(2^-3): buckets about 9% wide, enough resolution for latency percentiles. */
    private static final int EXP_SCALE = 3;
    private static final double EXP_FACTOR = (1 << EXP_SCALE) / Math.log(2);
    /** Bucket indexes covered: 2^-20 s (1 us) to 2^10 s. */
    private static final int EXP_MIN_INDEX = -20 << EXP_SCALE;
    private static final int EXP_BUCKETS = 30 << EXP_SCALE;
    private static final int CORES = 8;
    private static final long MEMORY_TOTAL = 32L << 30;
    private static final String[] MODEL_SPAN_NAMES = new String[ServiceCatalog.MODELS.length];
    private static final KeyValue[] MODEL_KVS = new KeyValue[ServiceCatalog.MODELS.length];
    private static final KeyValue[] RESPONSE_MODEL_KVS = new KeyValue[ServiceCatalog.MODELS.length];
    private static final InstrumentationScope HTTP_METRICS_SCOPE =
            InstrumentationScope.newBuilder().setName("@opentelemetry/instrumentation-http").build();
    private static final InstrumentationScope CLIENT_METRICS_SCOPE =
            InstrumentationScope.newBuilder().setName("shop.http.client").build();
    private static final InstrumentationScope HOST_METRICS_SCOPE = InstrumentationScope.newBuilder()
            .setName("github.com/open-telemetry/opentelemetry-collector-contrib/receiver/hostmetricsreceiver").build();
    private static final KeyValue MEMORY_USED = Otlp.kv("system.memory.state", "used");
    private static final AnyValue LOGIN_FAILED = Otlp.str("login failed: invalid credentials");
    private static final AnyValue SLOW_REQUEST = Otlp.str("request exceeded its latency objective");
    private static final String NEW_LOGIN_IP = "192.0.2.77";
    private static final String FAILED_LOGIN_IP = "192.0.2.66";

    static {
        for (int i = 0; i < CODES.length; i++) {
            STATUS_KVS[i] = Otlp.kv("http.response.status_code", (long) CODES[i]);
            ERROR_TYPE_KVS[i] = Otlp.kv("error.type", Integer.toString(CODES[i]));
        }
        List<Double> bounds = new ArrayList<>();
        for (double b : HTTP_BOUNDS) bounds.add(b);
        HTTP_BOUNDS_LIST = Collections.unmodifiableList(bounds);
        for (int i = 0; i < MODEL_KVS.length; i++) {
            MODEL_SPAN_NAMES[i] = "chat " + ServiceCatalog.MODELS[i];
            MODEL_KVS[i] = Otlp.kv("gen_ai.request.model", ServiceCatalog.MODELS[i]);
            RESPONSE_MODEL_KVS[i] = Otlp.kv("gen_ai.response.model", ServiceCatalog.MODELS[i]);
        }
    }

    private final GeneratorConfig cfg;
    private final ServiceCatalog cat = CATALOG;
    private final GenerationStats stats = new GenerationStats();
    private final MalformedKind[] malformedKinds;
    private final Map<Node, ErrorDetail> errorDetails = new IdentityHashMap<>();
    private final InstrumentationScope[] logScopes;
    private final Map<Long, AnyValue> completionBodies = new HashMap<>();
    /** Per-host CPU baseline, so hosts differ but stay the same from window to window. */
    private final double[] hostBaseCpu = new double[ServiceCatalog.HOSTS.length];

    // State of the window being generated; reset by every tick().
    private SplittableRandom r;
    private List<GeneratedRecord> out;
    private long windowStart;
    private final Batch<Span> spanBatch;
    private final Batch<LogRecord> logBatch;
    /** [frontend instance][route][code index]. */
    private final HistAcc[][][] serverHist;
    /** [calling instance][called service]. */
    private final ExpAcc[][] clientHist;
    private final List<Anomaly> active = new ArrayList<>();

    // State of the trace being generated.
    private Route route;
    private ByteString traceId;
    private Node site;
    private long pathMask;
    private int pathCodeIndex;
    private boolean failed;
    private boolean burst;
    private long rootDurNanos;
    private final Instance[] instanceOf = new Instance[CATALOG.services.length];
    private KeyValue userKv;
    private KeyValue ipKv;
    private int model;
    private long inputTokens;
    private long outputTokens;
    private ByteString rootSpanId;
    private ByteString siteSpanId;
    private long siteEndNanos;
    private ByteString authSpanId;
    private long authEndNanos;
    private long genAiDurNanos;

    public SyntheticWorkload(GeneratorConfig cfg) {
        this.cfg = cfg.copy().validate();
        List<MalformedKind> kinds = new ArrayList<>();
        for (MalformedKind k : MalformedKind.values()) {
            boolean json = k == MalformedKind.INVALID_JSON || k == MalformedKind.WRONG_SHAPE_JSON;
            if (json ? this.cfg.emitRecords : this.cfg.emitTraces) kinds.add(k);
        }
        malformedKinds = kinds.toArray(new MalformedKind[0]);
        spanBatch = new Batch<>(cat.instances.size(), cat.scopes.size());
        logBatch = new Batch<>(cat.instances.size(), 1);
        logScopes = new InstrumentationScope[cat.services.length];
        for (Service s : cat.services) {
            logScopes[s.index] = InstrumentationScope.newBuilder().setName("shop." + s.name).build();
        }
        serverHist = new HistAcc[cat.frontend.instances.length][cat.routes.length][CODES.length];
        clientHist = new ExpAcc[cat.instances.size()][cat.services.length];
        SplittableRandom hosts = new SplittableRandom(mix(this.cfg.seed, 0x5eed, 0));
        for (int h = 0; h < hostBaseCpu.length; h++) hostBaseCpu[h] = 0.10 + 0.2 * hosts.nextDouble();
    }

    /** The routes users call, with their latency distributions and spans per trace. */
    public static List<RouteInfo> routes() {
        List<RouteInfo> list = new ArrayList<>();
        for (Route r : CATALOG.routes) list.add(new RouteInfo(r));
        return list;
    }

    /** The host names that send system samples and host metrics. */
    public static List<String> hosts() {
        return List.of(ServiceCatalog.HOSTS);
    }

    public GeneratorConfig config() {
        return cfg;
    }

    /** Counts of everything generated so far by this instance. */
    public GenerationStats stats() {
        return stats;
    }

    /** Start of the window that contains the event time. */
    public long windowStart(long eventTimeMillis) {
        return cfg.startMillis + Math.floorDiv(eventTimeMillis - cfg.startMillis, cfg.tickMillis) * cfg.tickMillis;
    }

    /** Mean traces per second at an event time (sinusoid and bursts, before noise), for this shard. */
    public double expectedTracesPerSecond(long eventTimeMillis) {
        long t = eventTimeMillis - cfg.startMillis;
        double load = 1 + cfg.amplitude * Math.sin(2 * Math.PI * Math.floorMod(t, cfg.periodMillis) / cfg.periodMillis);
        long interval = Math.floorDiv(t, cfg.burstIntervalMillis);
        long room = cfg.burstIntervalMillis - cfg.burstDurationMillis;
        long offset = (mix(cfg.seed, 0xb0257, interval) >>> 1) % room;
        long inInterval = Math.floorMod(t, cfg.burstIntervalMillis);
        if (inInterval >= offset && inInterval < offset + cfg.burstDurationMillis) load *= cfg.burstIntensity;
        return cfg.tracesPerSecond * load;
    }

    /** Every scheduled anomaly occurrence overlapping [fromMillis, toMillis), by start time. */
    public List<Anomaly> anomaliesBetween(long fromMillis, long toMillis) {
        List<Anomaly> list = new ArrayList<>();
        for (GeneratorConfig.AnomalySpec a : cfg.anomalies) {
            long first = cfg.startMillis + a.offsetMillis;
            long kMin = 0;
            long kMax = 0;
            if (cfg.anomalyCycleMillis > 0) {
                kMin = Math.max(0, Math.floorDiv(fromMillis - first - a.durationMillis, cfg.anomalyCycleMillis));
                kMax = Math.floorDiv(toMillis - 1 - first, cfg.anomalyCycleMillis);
            }
            for (long k = kMin; k <= kMax; k++) {
                long s = first + k * cfg.anomalyCycleMillis;
                long e = s + a.durationMillis;
                if (s < toMillis && e > fromMillis) list.add(new Anomaly(a.kind, a.target, s, e, a.magnitude));
            }
        }
        list.sort((x, y) -> Long.compare(x.startMillis, y.startMillis));
        return list;
    }

    /**
     * Generates the window [w, w + tickMillis) containing the event time: its traces (as span, log and
     * metric export requests and workload/inference records), its host samples, the anomalies active
     * in it and its share of malformed records.
     */
    public List<GeneratedRecord> tick(long eventTimeMillis) {
        windowStart = windowStart(eventTimeMillis);
        long windowEnd = windowStart + cfg.tickMillis;
        long window = (windowStart - cfg.startMillis) / cfg.tickMillis;
        r = new SplittableRandom(mix(cfg.seed, cfg.shard, window));
        out = new ArrayList<>();
        active.clear();
        active.addAll(anomaliesBetween(windowStart, windowEnd));

        double expected = expectedTracesPerSecond(windowStart + cfg.tickMillis / 2) * cfg.tickMillis / 1000.0;
        long traces = stochasticRound(expected * Math.max(0, 1 + cfg.noise * r.nextGaussian()));
        for (long i = 0; i < traces; i++) {
            Route rt = pickRoute();
            int user = r.nextInt(cat.userEmails.length);
            userKv = cat.userIdKvs[user];
            ipKv = cat.userIpKvs[user];
            trace(rt, windowStart * MS + r.nextLong(cfg.tickMillis * MS), cat.userEmails[user], 0);
        }
        if (cfg.shard == 0) failedLogins(windowStart, windowEnd);
        flushSpans();
        flushLogs();
        if (cfg.emitMetrics) requestMetrics(windowEnd);
        if (cfg.shard == 0) hostSamples(windowStart, windowEnd);
        malformed();
        return out;
    }

    // ---------------------------------------------------------------- traces

    private Route pickRoute() {
        double u = r.nextDouble();
        double[] cdf = cat.routeCdf;
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) return cat.routes[i];
        }
        return cat.routes[cdf.length - 1];
    }

    /** One trace of the route; forcedCode 401/200 plays a login attempt of the failed-login sequence. */
    private void trace(Route rt, long startNanos, String email, int forcedCode) {
        route = rt;
        traceId = Otlp.id(r.nextLong(), r.nextLong() | 1);
        for (Service s : cat.services) instanceOf[s.index] = s.instances[r.nextInt(s.instances.length)];

        long startMillis = startNanos / MS;
        Node burstSite = errorBurstSite(startMillis, rt);
        failed = false;
        burst = false;
        site = null;
        pathCodeIndex = 0;
        if (burstSite != null) {
            site = burstSite;
            failed = true;
            burst = true;
            pathCodeIndex = 3;
        } else if (forcedCode == 0 && r.nextDouble() < cfg.errorRate) {
            site = rt.errorSites[r.nextInt(rt.errorSites.length)];
            failed = true;
            pathCodeIndex = 2;
        } else if (rt == cat.login && (forcedCode == 401 || (forcedCode == 0 && r.nextDouble() < cfg.loginFailureRate))) {
            site = rt.firstOf(cat.auth);
            pathCodeIndex = 1;
        }
        pathMask = site == null ? 0L : site.pathMask;

        double ms;
        if (r.nextDouble() < cfg.slowRate) {
            // Pareto tail (alpha 2) above the threshold, capped so one call cannot dwarf a window.
            ms = rt.slowThresholdMs * Math.min(20.0, 1.0 / Math.sqrt(1.0 - r.nextDouble()));
        } else {
            do {
                ms = rt.medianMs * Math.exp(rt.sigma * r.nextGaussian());
            } while (ms >= rt.slowThresholdMs);
        }
        ms *= latencyFactor(startMillis, rt);
        rootDurNanos = (long) (ms * MS);

        if (rt == cat.assistantRoute) {
            double u = r.nextDouble();
            model = 0;
            while (u >= ServiceCatalog.MODEL_CDF[model]) model++;
            inputTokens = Math.max(16, (long) (600 * Math.exp(0.8 * r.nextGaussian())));
            outputTokens = Math.max(1, (long) (220 * Math.exp(0.6 * r.nextGaussian())));
        }
        rootSpanId = null;
        siteSpanId = null;
        authSpanId = null;
        emit(rt.root, null, startNanos, rootDurNanos);

        stats.traces++;
        stats.spans += rt.nodes.length;
        if (failed) stats.errorTraces++;
        boolean slow = ms > rt.slowThresholdMs;
        if (slow) stats.slowTraces++;
        int code = CODES[pathCodeIndex];
        if (cfg.emitMetrics) {
            int fi = instanceOf[cat.frontend.index] == cat.frontend.instances[0] ? 0 : 1;
            HistAcc h = serverHist[fi][rt.index][pathCodeIndex];
            if (h == null) h = serverHist[fi][rt.index][pathCodeIndex] = new HistAcc();
            h.add(ms / 1000.0);
        }
        long endNanos = startNanos + rootDurNanos;
        if (cfg.emitLogs) traceLogs(rt, code, slow, endNanos);
        if (cfg.emitRecords) traceRecords(rt, email, code, ms, startMillis);
    }

    /**
     * Emits the node's span and its subtree. Synchronous children run one after another inside the
     * parent; an async child (a Kafka consumer) starts after its parent ends.
     */
    private void emit(Node node, ByteString parentId, long start, long dur) {
        ByteString spanId = Otlp.id(r.nextLong() | 1);
        long end = start + dur;
        long cursor = start + dur / 50;
        long limit = end - dur / 50;
        for (Node child : node.children) {
            if (child.async) {
                long queued = end + (2 + r.nextInt(20)) * MS;
                emit(child, spanId, queued, (long) (rootDurNanos * child.share * (0.7 + 0.6 * r.nextDouble())));
                continue;
            }
            long childDur = (long) (dur * child.share * (0.85 + 0.3 * r.nextDouble()));
            childDur = Math.max(1_000L, Math.min(childDur, limit - cursor));
            emit(child, spanId, cursor, childDur);
            cursor += childDur + dur / 100;
        }
        if (node == route.root) rootSpanId = spanId;
        if (node == site) {
            siteSpanId = spanId;
            siteEndNanos = end;
        }
        if (node.service == cat.auth && node.type == NodeType.HTTP_SERVER) {
            authSpanId = spanId;
            authEndNanos = end;
        }
        if (node.type == NodeType.GENAI) genAiDurNanos = dur;
        boolean onPath = (pathMask & (1L << node.index)) != 0;
        int codeIndex = onPath ? pathCodeIndex : 0;
        Instance inst = instanceOf[node.service.index];
        if (node.type == NodeType.HTTP_CLIENT && cfg.emitMetrics) {
            Service callee = node.children[0].service;
            ExpAcc e = clientHist[inst.index][callee.index];
            if (e == null) e = clientHist[inst.index][callee.index] = new ExpAcc();
            e.add(dur / 1e9);
        }
        if (!cfg.emitTraces) return;

        Span.Builder b = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setName(node.type == NodeType.GENAI ? MODEL_SPAN_NAMES[model] : node.name)
                .setKind(node.kind)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(end)
                .addAllAttributes(node.attributes);
        boolean remoteParent = parentId != null
                && (node.kind == Span.SpanKind.SPAN_KIND_SERVER || node.kind == Span.SpanKind.SPAN_KIND_CONSUMER);
        b.setFlags(remoteParent ? FLAGS_REMOTE : FLAGS_LOCAL);
        if (parentId != null) b.setParentSpanId(parentId);
        boolean error = false;
        switch (node.type) {
            case HTTP_SERVER:
                b.addAttributes(STATUS_KVS[codeIndex]);
                if (node == route.root || node.service == cat.auth) b.addAttributes(userKv).addAttributes(ipKv);
                error = CODES[codeIndex] >= 500;
                break;
            case HTTP_CLIENT:
                b.addAttributes(STATUS_KVS[codeIndex]);
                error = CODES[codeIndex] >= 400;
                break;
            case RPC_CLIENT:
            case RPC_SERVER:
                b.addAttributes(!onPath ? GRPC_OK : burst ? GRPC_UNAVAILABLE : GRPC_INTERNAL);
                error = onPath && failed;
                break;
            case GENAI:
                b.addAttributes(MODEL_KVS[model]).addAttributes(RESPONSE_MODEL_KVS[model])
                        .addAttributes(Otlp.kv("gen_ai.usage.input_tokens", inputTokens))
                        .addAttributes(Otlp.kv("gen_ai.usage.output_tokens", outputTokens));
                error = onPath && failed;
                break;
            default:
                error = onPath && failed;
        }
        if (error) {
            b.setStatus(STATUS_ERROR);
            if (node == site) {
                ErrorDetail d = detail(node);
                b.addAttributes(d.errorType).addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(end - dur / 20).setName("exception").addAllAttributes(d.eventAttributes));
            } else {
                b.addAttributes(ERROR_TYPE_KVS[codeIndex]);
            }
        }
        spanBatch.add(inst.index, node.scope, b.build(), end);
    }

    /** Where the route fails when an error burst covers the time and the route reaches its service; else null. */
    private Node errorBurstSite(long timeMillis, Route rt) {
        for (Anomaly a : active) {
            if (a.kind == AnomalyKind.ERROR_BURST && a.covers(timeMillis)) {
                Service s = cat.service(a.target);
                Node n = s == null ? null : rt.firstOf(s);
                if (n != null) return n;
            }
        }
        return null;
    }

    private double latencyFactor(long timeMillis, Route rt) {
        double f = 1.0;
        for (Anomaly a : active) {
            if (a.kind == AnomalyKind.LATENCY_SHIFT && a.covers(timeMillis) && a.target.equals(rt.path)) f *= a.magnitude;
        }
        return f;
    }

    /** The failed-login sequence: n failures from one address, then a success from another, evenly spaced. */
    private void failedLogins(long from, long to) {
        for (Anomaly a : active) {
            if (a.kind != AnomalyKind.FAILED_LOGINS) continue;
            int failures = (int) a.magnitude;
            long step = (a.endMillis - a.startMillis) / (failures + 1);
            int user = cat.user(a.target);
            userKv = user >= 0 ? cat.userIdKvs[user] : Otlp.kv("enduser.id", a.target);
            for (int i = 0; i <= failures; i++) {
                long t = a.startMillis + i * step;
                if (t < from || t >= to) continue;
                ipKv = Otlp.kv("client.address", i < failures ? FAILED_LOGIN_IP : NEW_LOGIN_IP);
                trace(cat.login, t * MS, a.target, i < failures ? 401 : 200);
            }
        }
    }

    private ErrorDetail detail(Node n) {
        return errorDetails.computeIfAbsent(n, ErrorDetail::new);
    }

    /** The window's spans as export requests, cut in the order they ended ({@link Batch#cut}). */
    private void flushSpans() {
        while (spanBatch.cut(drawBatchSize())) spanRequest();
    }

    private void spanRequest() {
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (Instance inst : cat.instances) {
            ResourceSpans.Builder rs = null;
            for (int s = 0; s < cat.scopes.size(); s++) {
                List<Span> spans = spanBatch.bucket(inst.index, s);
                if (spans.isEmpty()) continue;
                if (rs == null) rs = ResourceSpans.newBuilder().setResource(inst.resource);
                rs.addScopeSpans(ScopeSpans.newBuilder().setScope(cat.scopes.get(s)).addAllSpans(spans));
            }
            if (rs != null) req.addResourceSpans(rs);
        }
        message(cfg.spansTopic, null, req.build().toByteArray(), spanBatch.maxTimeNanos / MS);
    }

    // ---------------------------------------------------------------- logs

    private void traceLogs(Route rt, int code, boolean slow, long endNanos) {
        Instance front = instanceOf[cat.frontend.index];
        long key = rt.index * 1000L + code;
        AnyValue body = completionBodies.computeIfAbsent(key, k -> Otlp.str(rt.method + " " + rt.path + " completed with " + code));
        log(front, rootSpanId, endNanos, SeverityNumber.SEVERITY_NUMBER_INFO, "INFO", body, STATUS_KVS[pathCodeIndex], null);
        if (slow) log(front, rootSpanId, endNanos, SeverityNumber.SEVERITY_NUMBER_WARN, "WARN", SLOW_REQUEST, Otlp.kv("http.route", rt.path), null);
        if (failed) {
            ErrorDetail d = detail(site);
            log(instanceOf[site.service.index], siteSpanId, siteEndNanos, SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
                    d.message, d.exceptionType, d.exceptionMessage);
        } else if (code == 401) {
            log(instanceOf[cat.auth.index], authSpanId, authEndNanos, SeverityNumber.SEVERITY_NUMBER_WARN, "WARN",
                    LOGIN_FAILED, userKv, ipKv);
        }
    }

    private void log(Instance inst, ByteString spanId, long timeNanos, SeverityNumber severity, String text, AnyValue body,
            KeyValue a1, KeyValue a2) {
        LogRecord.Builder b = LogRecord.newBuilder()
                .setTimeUnixNano(timeNanos)
                .setObservedTimeUnixNano(timeNanos + (1 + r.nextInt(5)) * MS)
                .setSeverityNumber(severity)
                .setSeverityText(text)
                .setBody(body)
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setFlags(1)
                .addAttributes(a1);
        if (a2 != null) b.addAttributes(a2);
        logBatch.add(inst.index, 0, b.build(), timeNanos);
        stats.logRecords++;
    }

    /** The window's log records as export requests, cut in time order like the spans. */
    private void flushLogs() {
        while (logBatch.cut(drawBatchSize())) logRequest();
    }

    private void logRequest() {
        ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
        for (Instance inst : cat.instances) {
            List<LogRecord> logs = logBatch.bucket(inst.index, 0);
            if (logs.isEmpty()) continue;
            req.addResourceLogs(ResourceLogs.newBuilder().setResource(inst.resource)
                    .addScopeLogs(ScopeLogs.newBuilder().setScope(logScopes[inst.service.index]).addAllLogRecords(logs)));
        }
        message(cfg.logsTopic, null, req.build().toByteArray(), logBatch.maxTimeNanos / MS);
    }

    // ---------------------------------------------------------------- suite records

    private void traceRecords(Route rt, String email, int code, double ms, long startMillis) {
        String tenant = ServiceCatalog.TENANTS[Math.floorMod(email.hashCode(), ServiceCatalog.TENANTS.length)];
        String requestId = Otlp.hex(traceId);
        WorkloadRecord w = new WorkloadRecord();
        w.timestampMillis = startMillis;
        w.tenant = tenant;
        w.user = email;
        w.requestId = requestId;
        w.route = rt.path;
        w.method = rt.method;
        w.statusCode = code;
        w.durationMs = ms;
        w.contextSize = rt == cat.assistantRoute ? inputTokens : 200 + r.nextInt(4_000);
        w.memoryBytes = (long) ((48L << 20) * Math.exp(0.4 * r.nextGaussian()));
        w.cpuPercent = Math.min(100.0, 2.0 + ms / 20.0 * (0.5 + r.nextDouble()));
        w.responseSizeBytes = code >= 400 ? 120 : (long) (3_000 * Math.exp(0.7 * r.nextGaussian()));
        w.errorMessage = failed ? detail(site).message.getStringValue() : "";
        w.serviceName = cat.frontend.name;
        message(cfg.recordsTopic, tenant.getBytes(StandardCharsets.UTF_8), RecordJson.encode(w), startMillis);
        stats.workloadRecords++;

        if (rt == cat.assistantRoute) {
            InferenceSample s = new InferenceSample();
            s.timestampMillis = startMillis;
            s.host = ServiceCatalog.HOSTS[instanceOf[cat.assistant.index].host];
            s.tenant = tenant;
            s.requestId = requestId;
            s.model = ServiceCatalog.MODELS[model];
            s.provider = "vllm";
            s.operation = "chat";
            s.inputTokens = inputTokens;
            s.outputTokens = outputTokens;
            double genMs = genAiDurNanos / 1e6;
            // Prefill grows with the prompt: time to first token takes that share of the call.
            s.timeToFirstTokenMs = Math.min(genMs * 0.9, genMs * inputTokens / (inputTokens + 4.0 * outputTokens));
            s.tokensPerSecond = outputTokens / Math.max(1e-3, (genMs - s.timeToFirstTokenMs) / 1000.0);
            s.durationMs = genMs;
            s.energyJoules = ServiceCatalog.MODEL_WATTS[model] * genMs / 1000.0;
            s.errorType = failed && (site.type == NodeType.GENAI || burst) ? CODES[pathCodeIndex] + "" : "";
            message(cfg.recordsTopic, s.host.getBytes(StandardCharsets.UTF_8), RecordJson.encode(s), startMillis);
            stats.inferenceSamples++;
        }
    }

    // ---------------------------------------------------------------- metrics

    /** The window's request-duration histograms, as the SDKs would export them with delta temporality. */
    private void requestMetrics(long windowEnd) {
        ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
        long startNanos = windowStart * MS;
        long endNanos = windowEnd * MS;
        for (int fi = 0; fi < serverHist.length; fi++) {
            Histogram.Builder hist = Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
            for (Route rt : cat.routes) {
                for (int c = 0; c < CODES.length; c++) {
                    HistAcc h = serverHist[fi][rt.index][c];
                    if (h == null) continue;
                    serverHist[fi][rt.index][c] = null;
                    hist.addDataPoints(h.toPoint(startNanos, endNanos)
                            .addAttributes(rt.root.attributes.get(0))
                            .addAttributes(rt.root.attributes.get(1))
                            .addAttributes(STATUS_KVS[c]));
                }
            }
            if (hist.getDataPointsCount() == 0) continue;
            req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(cat.frontend.instances[fi].resource)
                    .addScopeMetrics(ScopeMetrics.newBuilder().setScope(HTTP_METRICS_SCOPE).addMetrics(Metric.newBuilder()
                            .setName("http.server.request.duration").setUnit("s")
                            .setDescription("Duration of HTTP server requests.").setHistogram(hist))));
            stats.metricDataPoints += hist.getDataPointsCount();
        }
        for (Instance inst : cat.instances) {
            ExponentialHistogram.Builder exp = ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
            for (Service callee : cat.services) {
                ExpAcc e = clientHist[inst.index][callee.index];
                if (e == null) continue;
                clientHist[inst.index][callee.index] = null;
                exp.addDataPoints(e.toPoint(startNanos, endNanos).addAttributes(Otlp.kv("server.address", callee.name)));
            }
            if (exp.getDataPointsCount() == 0) continue;
            req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(inst.resource)
                    .addScopeMetrics(ScopeMetrics.newBuilder().setScope(CLIENT_METRICS_SCOPE).addMetrics(Metric.newBuilder()
                            .setName("http.client.request.duration").setUnit("s")
                            .setDescription("Duration of HTTP client requests.").setExponentialHistogram(exp))));
            stats.metricDataPoints += exp.getDataPointsCount();
        }
        if (req.getResourceMetricsCount() > 0) message(cfg.metricsTopic, null, req.build().toByteArray(), windowEnd);
    }

    /**
     * System samples and host metrics of every host at each sample time in the window, skipping hosts
     * whose heartbeat is stopped and pinning the CPU of hosts on a plateau.
     */
    private void hostSamples(long from, long to) {
        long first = cfg.startMillis + Math.floorDiv(from - cfg.startMillis + cfg.hostIntervalMillis - 1, cfg.hostIntervalMillis)
                * cfg.hostIntervalMillis;
        for (long t = first; t < to; t += cfg.hostIntervalMillis) {
            double load = Math.min(1.0, expectedTracesPerSecond(t) / (cfg.tracesPerSecond * (1 + cfg.amplitude) + 1e-9));
            ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
            for (int h = 0; h < ServiceCatalog.HOSTS.length; h++) {
                String host = ServiceCatalog.HOSTS[h];
                if (hostAnomaly(AnomalyKind.HEARTBEAT_STOP, host, t) != null) continue;
                Anomaly plateau = hostAnomaly(AnomalyKind.CPU_PLATEAU, host, t);
                SystemSample s = new SystemSample();
                s.timestampMillis = t;
                s.host = host;
                s.cpuPercentPerCore = new double[CORES];
                double cpu = plateau != null ? plateau.magnitude : hostBaseCpu[h] + 0.45 * load + 0.03 * r.nextGaussian();
                double spread = plateau != null ? 0.01 : 0.08;
                double sum = 0;
                for (int c = 0; c < CORES; c++) {
                    double core = Math.max(0.0, Math.min(1.0, cpu + spread * r.nextGaussian()));
                    if (plateau != null) core = Math.max(0.91, core);
                    s.cpuPercentPerCore[c] = core * 100.0;
                    sum += core;
                }
                s.memoryTotalBytes = MEMORY_TOTAL;
                Anomaly memory = hostAnomaly(AnomalyKind.MEMORY_PRESSURE, host, t);
                double used = memory != null
                        ? Math.min(0.99, memory.magnitude + 0.005 * r.nextGaussian())
                        : Math.min(0.95, 0.35 + 0.2 * load + 0.02 * r.nextGaussian());
                s.memoryUsedBytes = (long) (MEMORY_TOTAL * used);
                s.cacheMisses = (long) (2e6 * (0.2 + load) * (1 + 0.1 * r.nextGaussian()));
                s.diskReadBytesPerSec = 4e6 * (0.3 + load) * Math.exp(0.3 * r.nextGaussian());
                s.diskWriteBytesPerSec = 2e6 * (0.3 + load) * Math.exp(0.3 * r.nextGaussian());
                s.networkRxBytesPerSec = 12e6 * (0.1 + load) * Math.exp(0.2 * r.nextGaussian());
                s.networkTxBytesPerSec = 9e6 * (0.1 + load) * Math.exp(0.2 * r.nextGaussian());
                s.queueDepth = Math.max(0, Math.round((plateau != null ? 40 : 4) * load + 2 * r.nextGaussian()));
                if (cfg.emitRecords) {
                    message(cfg.recordsTopic, host.getBytes(StandardCharsets.UTF_8), RecordJson.encode(s), t);
                    stats.systemSamples++;
                }
                if (cfg.emitMetrics) {
                    req.addResourceMetrics(hostMetrics(cat.instanceOnHost(h).resource, t, sum / CORES, s.memoryUsedBytes));
                    stats.metricDataPoints += 2;
                }
            }
            if (req.getResourceMetricsCount() > 0) message(cfg.metricsTopic, null, req.build().toByteArray(), t);
        }
    }

    private Anomaly hostAnomaly(AnomalyKind kind, String host, long t) {
        for (Anomaly a : active) {
            if (a.kind == kind && a.covers(t) && a.target.equals(host)) return a;
        }
        return null;
    }

    private ResourceMetrics hostMetrics(Resource resource, long t, double cpu, long memoryUsed) {
        long nanos = t * MS;
        return ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(ScopeMetrics.newBuilder()
                .setScope(HOST_METRICS_SCOPE)
                .addMetrics(Metric.newBuilder().setName("system.cpu.utilization").setUnit("1")
                        .setDescription("Difference in system.cpu.time since the last measurement, divided by the elapsed time and number of CPUs.")
                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(nanos).setAsDouble(cpu))))
                .addMetrics(Metric.newBuilder().setName("system.memory.usage").setUnit("By")
                        .setDescription("Bytes of memory in use.")
                        .setSum(Sum.newBuilder().setIsMonotonic(false)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(cfg.startMillis * MS)
                                        .setTimeUnixNano(nanos).setAsInt(memoryUsed).addAttributes(MEMORY_USED)))))
                .build();
    }

    // ---------------------------------------------------------------- malformed trickle

    private void malformed() {
        if (malformedKinds.length == 0 || out.isEmpty()) return;
        long n = stochasticRound(out.size() * cfg.malformedRate);
        for (long i = 0; i < n; i++) {
            MalformedKind kind = malformedKinds[r.nextInt(malformedKinds.length)];
            GeneratedRecord rec = malformedRecord(kind, windowStart + r.nextLong(cfg.tickMillis));
            rec.malformedKind = kind.name();
            out.add(r.nextInt(out.size() + 1), rec);
            stats.countMalformed(kind);
        }
    }

    private GeneratedRecord malformedRecord(MalformedKind kind, long t) {
        Instance front = cat.frontend.instances[0];
        long start = t * MS;
        switch (kind) {
            case TRUNCATED_PROTOBUF: {
                byte[] whole = traceRequest(front.resource, probeSpan(start).build());
                // One top-level field: any cut strictly inside leaves it short, so parsing must fail.
                return new GeneratedRecord(cfg.spansTopic, null, Arrays.copyOf(whole, 1 + r.nextInt(whole.length - 1)), t);
            }
            case GARBAGE_BYTES: {
                byte[] junk = new byte[16 + r.nextInt(240)];
                for (int i = 0; i < junk.length; i++) junk[i] = (byte) r.nextInt(256);
                // Field 1 with wire type 7, which does not exist: no protobuf parser accepts it.
                junk[0] = 0x0f;
                String[] topics = {cfg.spansTopic, cfg.metricsTopic, cfg.logsTopic};
                return new GeneratedRecord(topics[r.nextInt(3)], null, junk, t);
            }
            case INVALID_JSON: {
                String json = "{\"signal\":\"workload\",\"timestampMillis\":" + t + ",\"tenant\":\"acme\",\"route\":\"/api/cart\",\"statusCode\":";
                return new GeneratedRecord(cfg.recordsTopic, null, json.getBytes(StandardCharsets.UTF_8), t);
            }
            case WRONG_SHAPE_JSON: {
                String json = "{\"signal\":\"system\",\"timestampMillis\":\"yesterday\",\"host\":[\"host-1\"],\"cpuPercentPerCore\":\"high\"}";
                return new GeneratedRecord(cfg.recordsTopic, null, json.getBytes(StandardCharsets.UTF_8), t);
            }
            case ZERO_TRACE_ID:
                return spanRecord(front.resource, probeSpan(start).setTraceId(ByteString.copyFrom(new byte[16])).build(), t);
            case SHORT_SPAN_ID:
                return spanRecord(front.resource, probeSpan(start).setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4})).build(), t);
            case END_BEFORE_START:
                return spanRecord(front.resource, probeSpan(start).setEndTimeUnixNano(start - 5 * MS).build(), t);
            case FUTURE_TIMESTAMP: {
                long future = start + 10 * 365L * 24 * 3600 * 1000 * MS;
                return spanRecord(front.resource, probeSpan(future).build(), t);
            }
            case MISSING_SERVICE_NAME: {
                Resource noName = Resource.newBuilder().addAttributes(Otlp.kv("host.name", ServiceCatalog.HOSTS[0]))
                        .addAttributes(Otlp.kv("telemetry.sdk.language", "nodejs")).build();
                return spanRecord(noName, probeSpan(start).build(), t);
            }
            default:
                throw new IllegalStateException("unknown kind " + kind);
        }
    }

    /** An otherwise valid frontend root span, for the malformed kinds to break one thing in. */
    private Span.Builder probeSpan(long start) {
        Route rt = cat.routes[0];
        return Span.newBuilder()
                .setTraceId(Otlp.id(r.nextLong(), r.nextLong() | 1))
                .setSpanId(Otlp.id(r.nextLong() | 1))
                .setName(rt.root.name)
                .setKind(rt.root.kind)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + 30 * MS)
                .setFlags(FLAGS_LOCAL)
                .addAllAttributes(rt.root.attributes)
                .addAttributes(STATUS_KVS[0]);
    }

    private GeneratedRecord spanRecord(Resource resource, Span span, long t) {
        return new GeneratedRecord(cfg.spansTopic, null, traceRequest(resource, span), t);
    }

    private byte[] traceRequest(Resource resource, Span span) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder().setScope(cat.scopes.get(cat.routes[0].root.scope)).addSpans(span)))
                .build().toByteArray();
    }

    // ---------------------------------------------------------------- helpers

    private void message(String topic, byte[] key, byte[] value, long timestampMillis) {
        out.add(new GeneratedRecord(topic, key, value, timestampMillis));
        stats.countMessage(topic);
    }

    private int drawBatchSize() {
        return cfg.batchMin + r.nextInt(cfg.batchMax - cfg.batchMin + 1);
    }

    /** floor(x) or ceil(x), with the fraction as the chance of ceil: unbiased at any rate. */
    private long stochasticRound(double x) {
        long whole = (long) Math.floor(x);
        return whole + (r.nextDouble() < x - whole ? 1 : 0);
    }

    /** SplitMix64's finalizer over the inputs: nearby seeds and windows get unrelated streams. */
    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A window's items, exported the way an SDK and the Collector's batch processor do it: an item joins
     * a batch when it ends, and a batch goes out when it is full or {@link #BATCH_TIMEOUT_NANOS} after its
     * first item, grouped by (instance, scope). Items are generated trace by trace, in start order; cut in
     * that order, a fast span would wait in a batch for a slow span of the same window to end, arrive
     * seconds after spans that started later, and be late for every event-time consumer.
     */
    private static final class Batch<T> {
        /** The batch processor's default {@code timeout}. */
        static final long BATCH_TIMEOUT_NANOS = 200 * MS;

        private final List<T>[] buckets;
        private final int scopes;
        private final List<Pending<T>> pending = new ArrayList<>();
        private int next;
        long maxTimeNanos;

        private record Pending<T>(int bucket, T item, long timeNanos) {}

        @SuppressWarnings("unchecked")
        Batch(int instances, int scopes) {
            this.scopes = scopes;
            this.buckets = new List[instances * scopes];
            for (int i = 0; i < buckets.length; i++) buckets[i] = new ArrayList<>();
        }

        void add(int instance, int scope, T item, long timeNanos) {
            pending.add(new Pending<>(instance * scopes + scope, item, timeNanos));
        }

        /**
         * Fills the buckets with the next batch of at most {@code size} items, in end-time order; false
         * (and the window's items dropped) when none is left.
         */
        boolean cut(int size) {
            for (List<T> b : buckets) b.clear();
            if (next == 0) pending.sort(java.util.Comparator.comparingLong(Pending::timeNanos));
            if (next >= pending.size()) {
                pending.clear();
                next = 0;
                return false;
            }
            long first = pending.get(next).timeNanos();
            int taken = 0;
            while (next < pending.size() && taken < size && pending.get(next).timeNanos() - first <= BATCH_TIMEOUT_NANOS) {
                Pending<T> p = pending.get(next++);
                buckets[p.bucket()].add(p.item());
                maxTimeNanos = p.timeNanos();
                taken++;
            }
            return true;
        }

        List<T> bucket(int instance, int scope) {
            return buckets[instance * scopes + scope];
        }
    }

    /** What a failure at an error site looks like: error.type, the exception event and the log line. */
    private static final class ErrorDetail {
        final KeyValue errorType;
        final KeyValue exceptionType;
        final KeyValue exceptionMessage;
        final List<KeyValue> eventAttributes;
        final AnyValue message;

        ErrorDetail(Node n) {
            String type;
            String msg;
            switch (n.type) {
                case DB:
                    boolean redis = n.attributes.get(0).getValue().getStringValue().equals("redis");
                    type = redis ? "redis.PoolTimeoutError" : "org.postgresql.util.PSQLException";
                    msg = redis ? "redis: connection pool timeout" : "FATAL: remaining connection slots are reserved";
                    break;
                case RPC_SERVER:
                    type = "io.grpc.StatusRuntimeException";
                    msg = "UNAVAILABLE: card processor unreachable";
                    break;
                case GENAI:
                    type = "openai.APITimeoutError";
                    msg = "Request timed out.";
                    break;
                default:
                    type = n.service.name + ".InternalError";
                    msg = "unexpected failure handling " + n.name;
            }
            errorType = Otlp.kv("error.type", type);
            exceptionType = Otlp.kv("exception.type", type);
            exceptionMessage = Otlp.kv("exception.message", msg);
            eventAttributes = List.of(exceptionType, exceptionMessage);
            message = Otlp.str(n.service.name + ": " + msg);
        }
    }

    /** An explicit-bucket histogram being filled. */
    private static final class HistAcc {
        final long[] buckets = new long[HTTP_BOUNDS.length + 1];
        long count;
        double sum;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;

        void add(double v) {
            int i = 0;
            while (i < HTTP_BOUNDS.length && v > HTTP_BOUNDS[i]) i++;
            buckets[i]++;
            count++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        HistogramDataPoint.Builder toPoint(long start, long end) {
            HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(end)
                    .setCount(count).setSum(sum).setMin(min).setMax(max).addAllExplicitBounds(HTTP_BOUNDS_LIST);
            for (long b : buckets) p.addBucketCounts(b);
            return p;
        }
    }

    /** A base-2 exponential histogram at a fixed scale being filled; values are positive durations. */
    private static final class ExpAcc {
        final long[] buckets = new long[EXP_BUCKETS];
        long count;
        double sum;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;

        void add(double v) {
            // Bucket i holds (base^i, base^(i+1)], with base = 2^(2^-scale).
            int index = (int) Math.ceil(Math.log(v) * EXP_FACTOR) - 1;
            int slot = Math.max(0, Math.min(EXP_BUCKETS - 1, index - EXP_MIN_INDEX));
            buckets[slot]++;
            lo = Math.min(lo, slot);
            hi = Math.max(hi, slot);
            count++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        ExponentialHistogramDataPoint.Builder toPoint(long start, long end) {
            ExponentialHistogramDataPoint.Buckets.Builder positive =
                    ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(lo + EXP_MIN_INDEX);
            for (int i = lo; i <= hi; i++) positive.addBucketCounts(buckets[i]);
            return ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(end)
                    .setCount(count).setSum(sum).setMin(min).setMax(max).setScale(EXP_SCALE).setZeroCount(0)
                    .setPositive(positive);
        }
    }
}
