package io.telemetrysuite.cli.bench;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.TraceJob;
import io.telemetrysuite.traces.TraceStreams;
import io.telemetrysuite.traces.assembly.TraceSummary;
import io.telemetrysuite.traces.sampling.SamplingDecision;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * {@code ./telemetry bench traces}: the trace topology ({@link TraceJob#buildTopology}: assembly,
 * critical path, tail sampling with the deployed 5-policy config) in a MiniCluster, beside a plain-Java
 * loop doing the same assembly, decisions and summaries in one thread, over the same pre-generated
 * spans held in memory; then the heap that 1,000,000 spans in flight take in the job's keyed state.
 *
 * <p>The service graph is not part of the measured topology: it lives on another branch
 * (package {@code io.telemetrysuite.traces.graph}) until the integrator merges it.
 */
public final class TraceBenchmark {
    /** Event-time rate of the generated workload. */
    static final long SPANS_PER_EVENT_SECOND = 20_000;
    static final int SPANS_PER_TRACE = 10;
    private static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String[] SERVICES = {"frontend", "checkout", "cart", "payment", "inventory", "recommendation"};
    private static final String[] ROUTES = {"/api/checkout", "/api/login", "/api/cart", "/api/search"};
    private static final int PROMETHEUS_PORT = 9269;

    private static volatile Span[] current = new Span[0];
    /** Holds the heap job's source after its last span, so every span stays in flight while the heap is measured. */
    private static volatile CountDownLatch release = new CountDownLatch(0);

    private final long spans;
    private final int parallelism;
    private final Path tailSamplingFile;

    public TraceBenchmark(long spans, int parallelism, Path tailSamplingFile) {
        if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be at least 1");
        long perLane = (long) SPANS_PER_TRACE * parallelism;
        this.spans = Math.max(perLane, spans / perLane * perLane);
        this.parallelism = parallelism;
        this.tailSamplingFile = tailSamplingFile;
    }

    public String run() throws Exception {
        TailSamplingConfig sampling = TailSamplingConfig.load(tailSamplingFile);
        System.out.printf("traces benchmark: %,d spans in memory (%d spans per trace, %,d spans/s of event time), parallelism %d,"
                        + " tail sampling %s (%d policies), service graph: not included (not merged on this branch)%n",
                spans, SPANS_PER_TRACE, SPANS_PER_EVENT_SECOND, parallelism, tailSamplingFile, sampling.policies.size());

        Span[] warmup = generate((int) (spans / 5 / (SPANS_PER_TRACE * parallelism) * SPANS_PER_TRACE * parallelism), parallelism);
        current = warmup;
        topology(warmup.length, sampling);
        baseline(warmup, sampling);
        warmup = null; // not live (and copied by the collector) during the measured runs

        Span[] data = generate((int) spans, parallelism);
        System.gc();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        current = data;
        JobExecutionResult job = topology(data.length, sampling);
        double topologyRate = data.length / (job.getNetRuntime() / 1000.0);
        long[] kept = new long[1];
        long start = System.nanoTime();
        long decided = baseline(data, sampling, kept);
        double baselineRate = data.length / ((System.nanoTime() - start) / 1e9);
        System.out.printf("  trace topology, MiniCluster:         %,12.0f spans/s  (net runtime %,d ms)%n", topologyRate, job.getNetRuntime());
        System.out.printf("  plain Java loop, one thread:         %,12.0f spans/s  (%,d traces decided, %,d kept)%n", baselineRate, decided, kept[0]);
        // Other processes on the box take cores from both sides; the load average tells how much.
        System.out.printf("  load average (1 min) before / after: %.1f / %.1f on %d cores%n", loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        current = new Span[0];

        long heap = heapInFlight(1_000_000);
        System.out.printf("  heap for 1,000,000 spans in flight:  %,12d MiB (keyed state on the heap backend, after a full GC)%n", heap >> 20);
        return String.format("traces: %.0f spans/s, baseline %.0f spans/s, ratio %.2f", topologyRate, baselineRate, topologyRate / baselineRate);
    }

    private TraceConfig config(TailSamplingConfig sampling) {
        TraceConfig config = TraceConfig.of(sampling).withParallelism(parallelism);
        config.processingTimeBound = Duration.ofHours(1); // event time decides, as in the loop
        return config;
    }

    private JobExecutionResult topology(long n, TailSamplingConfig sampling) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        TraceStreams out = TraceJob.buildTopology(source(env, n, false), config(sampling));
        out.keptTraces().sinkTo(new DiscardingSink<>()).name("Discard kept traces");
        out.summaries().sinkTo(new DiscardingSink<>()).name("Discard summaries");
        return env.execute("traces benchmark (topology)");
    }

    private DataStream<Span> source(StreamExecutionEnvironment env, long n, boolean holdAtEnd) {
        long count = holdAtEnd ? n + parallelism : n;
        return env.fromSource(new DataGeneratorSource<>(new SharedSpans(n), count, TypeInformation.of(Span.class)),
                WatermarkStrategy.noWatermarks(), "Spans in memory").setParallelism(parallelism);
    }

    private long baseline(Span[] data, TailSamplingConfig sampling) {
        return baseline(data, sampling, new long[1]);
    }

    /**
     * The same work in one thread: spans grouped by trace id in a hash map, deadlines (first span + decision_wait,
     * or root + decision_wait_after_root_received) in a priority queue against a watermark 5 s behind the
     * largest end time, each due trace decided by the same decider and summarized with its critical path.
     */
    private long baseline(Span[] data, TailSamplingConfig sampling, long[] kept) {
        TraceDecider decider = sampling.decider();
        long wait = sampling.decisionWait.toMillis();
        long afterRoot = sampling.decisionWaitAfterRootReceived.toMillis();
        long lag = 5_000;
        Map<String, Pending> pending = new HashMap<>();
        Map<String, SamplingDecision> decisions = new HashMap<>();
        PriorityQueue<Pending> due = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
        long watermark = Long.MIN_VALUE;
        long decided = 0;
        // The array is laid out in lanes (one per source subtask); the loop reads it in time order, trace by trace.
        int perLane = data.length / parallelism;
        for (int i = 0; i < data.length; i++) {
            int trace = i / SPANS_PER_TRACE;
            Span span = data[(trace % parallelism) * perLane + (trace / parallelism) * SPANS_PER_TRACE + i % SPANS_PER_TRACE];
            long ts = span.endTimeUnixNano / 1_000_000L;
            Pending p = pending.get(span.traceId);
            if (p == null) {
                p = new Pending(span.traceId, ts + wait);
                pending.put(span.traceId, p);
                due.add(p);
            }
            p.spans.add(span);
            if (afterRoot > 0 && span.isRoot() && ts + afterRoot < p.deadline) {
                due.remove(p);
                p.deadline = ts + afterRoot;
                due.add(p);
            }
            watermark = Math.max(watermark, ts - lag);
            while (!due.isEmpty() && due.peek().deadline <= watermark) {
                decided += decide(due.poll(), pending, decisions, decider, kept);
            }
        }
        while (!due.isEmpty()) decided += decide(due.poll(), pending, decisions, decider, kept);
        return decided;
    }

    private static int decide(Pending p, Map<String, Pending> pending, Map<String, SamplingDecision> decisions, TraceDecider decider, long[] kept) {
        pending.remove(p.traceId);
        SamplingDecision cached = decisions.get(p.traceId);
        SamplingDecision decision = cached != null ? cached : decider.decide(p.traceId, p.spans, p.deadline);
        if (cached == null) decisions.put(p.traceId, decision);
        Trace trace = TraceSummary.of(p.traceId, p.spans, decision, cached != null, 0);
        if (trace.sampled) kept[0]++;
        return 1;
    }

    private static final class Pending {
        final String traceId;
        long deadline;
        final List<Span> spans = new ArrayList<>(SPANS_PER_TRACE);

        Pending(String traceId, long deadline) {
            this.traceId = traceId;
            this.deadline = deadline;
        }
    }

    /**
     * Heap taken by {@code n} spans held in the assembler's keyed state: a job whose decision wait is an hour
     * reads them and then holds its source open; once the assembler has received all of them (its
     * numRecordsIn, read from the Prometheus reporter), used heap after a full GC minus the same before the job.
     */
    private long heapInFlight(int n) throws Exception {
        Span[] data = generate(n / (SPANS_PER_TRACE * parallelism) * SPANS_PER_TRACE * parallelism, parallelism);
        current = data;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();

        TailSamplingConfig sampling = new TailSamplingConfig();
        sampling.decisionWait = Duration.ofHours(1);
        sampling.numTraces = n; // every trace held
        TraceConfig config = TraceConfig.of(sampling).withParallelism(parallelism);
        config.processingTimeBound = Duration.ofHours(2);
        Configuration conf = IngestJob.baseConfiguration();
        conf.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        TraceStreams out = TraceJob.buildTopology(source(env, data.length, true), config);
        out.summaries().sinkTo(new DiscardingSink<>()).name("Discard summaries");
        release = new CountDownLatch(1);
        JobClient job = env.executeAsync("traces benchmark (heap)");
        try {
            long deadline = System.currentTimeMillis() + 600_000;
            while (assembled() < data.length) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the assembler did not receive every span in 10 minutes");
                Thread.sleep(500);
            }
            System.gc();
            return memory.getHeapMemoryUsage().getUsed() - before;
        } finally {
            release.countDown();
            job.cancel().get();
            current = new Span[0];
        }
    }

    /** The assembler's numRecordsIn over its subtasks, from the Prometheus reporter of this JVM's MiniCluster. */
    private static long assembled() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            long sum = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("flink_taskmanager_job_task_operator_numRecordsIn{") && line.contains("Assemble_and_decide_traces")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /** The {@code i}-th number of the sequence is the {@code i}-th span; past the array, the source waits for {@link #release}. */
    private static final class SharedSpans implements GeneratorFunction<Long, Span> {
        private final long n;
        private transient Span[] spans;

        SharedSpans(long n) {
            this.n = n;
        }

        @Override
        public void open(org.apache.flink.api.connector.source.SourceReaderContext readerContext) {
            spans = current;
        }

        @Override
        public Span map(Long index) throws Exception {
            if (index >= n) {
                release.await();
                Span far = new Span();
                far.traceId = "ffffffffffffffffffffffffffffffff";
                far.spanId = "ffffffffffffffff";
                far.name = "hold";
                return far;
            }
            return spans[(int) (long) index];
        }
    }

    /**
     * {@code n} spans in traces of {@link #SPANS_PER_TRACE}: a root server span with an http.route and nine
     * descendants over six services, each trace's spans in the order they end (root last, as SDKs export),
     * 2 % of traces with an error, 1 % slower than 1.5 s; laid out so that source subtask k reads whole
     * traces k, k + lanes, ... in time order.
     */
    static Span[] generate(int n, int lanes) {
        SplittableRandom random = new SplittableRandom(42);
        int traces = n / SPANS_PER_TRACE;
        Span[] out = new Span[traces * SPANS_PER_TRACE];
        int perLane = out.length / lanes;
        Map<String, String> none = Map.of();
        List<Map<String, String>> routes = new ArrayList<>();
        for (String route : ROUTES) routes.add(Map.of("http.route", route));
        for (int t = 0; t < traces; t++) {
            String traceId = String.format("%016x%016x", random.nextLong(), (long) t);
            long startMs = EPOCH_MILLIS + (long) t * SPANS_PER_TRACE * 1000L / SPANS_PER_EVENT_SECOND;
            long durationMs = random.nextInt(100) == 0 ? 1_500 + random.nextInt(1_000) : 20 + random.nextInt(200);
            boolean error = random.nextInt(50) == 0;
            ArrayDeque<Span> built = new ArrayDeque<>();
            Span[] trace = new Span[SPANS_PER_TRACE];
            for (int s = 0; s < SPANS_PER_TRACE; s++) {
                Span span = new Span();
                span.traceId = traceId;
                span.spanId = String.format("%016x", ((long) t << 8) | s);
                span.parentSpanId = s == 0 ? "" : trace[random.nextInt(s)].spanId;
                span.serviceName = SERVICES[s % SERVICES.length];
                span.name = s == 0 ? "GET" : "call-" + s;
                span.kind = s == 0 ? "SERVER" : "CLIENT";
                span.attributes = s == 0 ? routes.get(random.nextInt(ROUTES.length)) : none;
                span.resourceAttributes = none;
                span.events = List.of();
                span.links = List.of();
                span.violations = List.of();
                long parentStart = s == 0 ? startMs : trace[indexOf(trace, span.parentSpanId)].startTimeUnixNano / 1_000_000L;
                long offset = s == 0 ? 0 : random.nextInt((int) Math.max(1, durationMs / 2));
                span.startTimeUnixNano = (s == 0 ? startMs : parentStart + offset) * 1_000_000L;
                long length = s == 0 ? durationMs : Math.max(1, random.nextInt((int) Math.max(1, durationMs / 2)));
                span.endTimeUnixNano = span.startTimeUnixNano + length * 1_000_000L;
                span.statusCode = error && s == SPANS_PER_TRACE - 1 ? "ERROR" : "UNSET";
                trace[s] = span;
            }
            List<Span> byEnd = new ArrayList<>(List.of(trace));
            byEnd.sort((a, b) -> a == trace[0] ? 1 : b == trace[0] ? -1 : Long.compare(a.endTimeUnixNano, b.endTimeUnixNano));
            int lane = t % lanes;
            int base = lane * perLane + (t / lanes) * SPANS_PER_TRACE;
            for (int s = 0; s < SPANS_PER_TRACE; s++) out[base + s] = byEnd.get(s);
        }
        return out;
    }

    private static int indexOf(Span[] trace, String spanId) {
        for (int i = 0; i < trace.length; i++) if (trace[i] != null && trace[i].spanId.equals(spanId)) return i;
        return 0;
    }
}
