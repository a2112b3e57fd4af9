package io.telemetrysuite.cli;

import static io.telemetrysuite.cli.ClusterTestSupport.awaitCheckpoints;
import static io.telemetrysuite.cli.ClusterTestSupport.awaitCommitted;
import static io.telemetrysuite.cli.ClusterTestSupport.cli;
import static io.telemetrysuite.cli.ClusterTestSupport.group;
import static io.telemetrysuite.cli.ClusterTestSupport.only;
import static io.telemetrysuite.cli.ClusterTestSupport.restores;
import static io.telemetrysuite.cli.ClusterTestSupport.consumedEnds;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrysuite.aggregate.AggregateKey;
import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.generator.RecordJson;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.services.FlinkCluster;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once over the whole pipeline, under faults: the four jobs' fat jars (ingest, aggregate, CEP,
 * traces) submitted with {@code ./telemetry submit} to a real standalone cluster, on the real broker,
 * one known input fed in rounds; the TaskManager that runs all four jobs is SIGKILLed while they are in
 * the middle of a round and a new one is started; later {@code ./telemetry upgrade} stops the aggregate
 * and then the CEP job with a savepoint mid-round and resumes them. Afterwards the committed
 * ({@code read_committed}) output topics hold exactly what the input decides: every ingested record
 * once, every window's aggregate equal to a brute-force count, exactly the expected alerts, every trace
 * once and whole. A record lost or replayed by a restore, or written by an aborted transaction, fails it.
 *
 * <p>How the input makes every output exact: round {@code r} holds events stamped within 4 s at
 * {@code T0 + 20 r s + 12 s}, inside the 10 s window ending at {@code T0 + 20 (r + 1) s}; the next round
 * is written only when every job has read and checkpointed the previous one. So a round's events are
 * never more than the jobs' 5 s out-of-orderness apart and never behind a watermark: whatever order
 * partitions are read in, and whichever partition is idle, no event is late. Every window of every
 * resolution ends on a multiple of 20 s, so the windows one round closes all end at the same time and
 * the CEP job reads their aggregates without any being late either. Sentinel events two hours on,
 * written last on every partition, move every watermark past all of it; nothing is asserted on the
 * sentinels' own windows, traces or keys.
 */
@Tag("slow")
@ExtendWith(KafkaBrokerExtension.class)
class PipelineFaultsClusterTest {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String PREFIX = "faults" + System.nanoTime() % 100000 + "-";
    private static final long HOUR = 3_600_000L;
    /**
     * On the hour, five hours back: hour windows start there, and event time stays behind the wall clock
     * (the broker refuses records stamped more than an hour ahead, and the jobs stamp their output with it).
     */
    private static final long T0 = (System.currentTimeMillis() / HOUR - 5) * HOUR;
    private static final long ROUND_MILLIS = 20_000;
    private static final int ROUNDS = 10;
    private static final long SENTINEL = T0 + 2 * HOUR;
    private static final int PARTITIONS = 2;
    private static final List<Long> RESOLUTIONS = List.of(10_000L, 60_000L, 300_000L, HOUR);
    private static final Map<Long, String> RESOLUTION_LABELS = Map.of(10_000L, "10s", 60_000L, "1m", 300_000L, "5m", HOUR, "1h");
    /** Trace ids unique to this run. */
    private static final String RUN = String.format("%016x", System.nanoTime());

    // Topics, all with the prefix the jobs get as --topic-prefix.
    private static final String OTLP_SPANS = PREFIX + "otlp_spans";
    private static final String RECORDS = PREFIX + "telemetry_records";
    private static final String SPANS = PREFIX + "ingest-spans";
    private static final String WORKLOAD = PREFIX + "ingest-workload";
    private static final String SYSTEM = PREFIX + "ingest-system";
    private static final String DEAD_LETTERS = PREFIX + "ingest-dead-letter";
    private static final String AGGREGATES = PREFIX + "aggregates";
    private static final String AGGREGATE_DEAD_LETTERS = PREFIX + "aggregate-dead-letter";
    private static final String ALERTS = PREFIX + "alerts";
    private static final String TRACES = PREFIX + "traces";
    private static final String SUMMARIES = PREFIX + "trace-summaries";

    /**
     * Rounds that start a trace finished in the next round. Not the rounds before the crash (5) and the
     * upgrades (6, 7): the trace job decides a trace at the latest decision_wait + 30 s of wall clock after
     * its first span arrived, and a restart on this loaded machine can take about that long, which would
     * decide the trace on its first half alone. Whole traces still cross the crash in the job's state.
     */
    private static final Set<Integer> ORDER_TRACE_ROUNDS = Set.of(0, 1, 2, 3, 5, 8);

    /** Tenants, hosts and their routes; two of each land on each partition of ingest's output (keyed by them). */
    private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");
    private static final List<String> HOSTS = List.of("db-1", "web-1", "cache-1");

    @TempDir
    static Path dir;

    private static FlinkCluster flink;
    private static FlinkRest rest;
    private static KafkaBroker kafka;
    /** Current job id per short name; a failover keeps it, an upgrade changes it. */
    private static final Map<String, String> jobs = new LinkedHashMap<>();

    // Everything sent, as the ingest job's output should hold it.
    private static final List<WorkloadRecord> sentWorkload = new ArrayList<>();
    private static final List<SystemSample> sentSystem = new ArrayList<>();
    private static final List<TestSpan> sentSpans = new ArrayList<>();
    private static final long started = System.nanoTime();

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t : List.of("otlp_spans", "otlp_metrics", "otlp_logs", "telemetry_records", "ingest-spans", "ingest-metrics", "ingest-logs",
                "ingest-workload", "ingest-system", "ingest-inference", "ingest-dead-letter", "aggregates", "forecasts", "aggregate-dead-letter",
                "alerts", "traces", "trace-summaries")) {
            topics.put(PREFIX + t, PARTITIONS);
        }
        broker.createTopics(topics);
        // One TaskManager first, so all four jobs are placed on it; the second joins before the crash, so
        // the jobs fail over onto it at once, and a new one replaces the dead one.
        flink = FlinkCluster.builder()
                .stateDir(dir.resolve("cluster"))
                .taskManagers(1)
                .setting("jobmanager.memory.process.size", "1024m")
                .setting("taskmanager.memory.process.size", "2048m")
                .setting("taskmanager.numberOfTaskSlots", "4")
                .setting("parallelism.default", "1")
                // A killed TaskManager is noticed in seconds, not the default 50 s.
                .setting("heartbeat.interval", "2000")
                .setting("heartbeat.timeout", "8000")
                .start();
        rest = new FlinkRest(flink.restUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sharedAdmin != null) sharedAdmin.close();
        if (flink == null) return;
        ClusterTestSupport.keepLogs(flink, PipelineFaultsClusterTest.class);
        flink.stop();
    }

    @Test
    void aKilledTaskManagerAndUpgradesMidRunLoseAndDuplicateNothingAnywhereInThePipeline() throws Exception {
        submit("ingest", "--config", resource("ingest.yaml"));
        submit("aggregate");
        submit("cep", "--rules", resource("rules"));
        submit("traces", "--tail-sampling", resource("tail-sampling.yaml"));
        for (String id : jobs.values()) rest.awaitState(id, "RUNNING", WAIT);
        flink.startTaskManager();
        assertThat(slotsInUse()).as("slots in use per TaskManager: all four jobs on the first").containsExactly(4, 0);
        log("four jobs running");

        for (int r = 0; r < 5; r++) {
            produceRound(r);
            awaitQuiescent();
            log("round " + r + " through the pipeline");
        }

        // Scenario 1: the TaskManager running every job dies in the middle of round 5, as soon as the jobs have
        // written some of what round 5 releases (round 4's windows, alerts, traces) in a transaction not yet committed.
        produceRound(5);
        Set<String> open = awaitOpenTransactions(List.of(AGGREGATES, ALERTS, TRACES, SUMMARIES));
        Map<String, Long> restoresBefore = new LinkedHashMap<>();
        jobs.forEach((job, id) -> restoresBefore.put(job, restores(flink, id)));
        flink.killTaskManager(0);
        log("killed TaskManager 0; records in open transactions on " + open);
        for (var job : jobs.entrySet()) awaitRestored(job.getKey(), job.getValue(), restoresBefore.get(job.getKey()));
        flink.startTaskManager();
        log("every job restored from its last checkpoint; a new TaskManager started");
        awaitQuiescent();
        log("round 5 through the pipeline");

        // Scenario 2: stop with a savepoint and resume the current build, mid-round: aggregate in round 6, CEP in round 7.
        for (var step : List.of(Map.entry(6, "aggregate"), Map.entry(7, "cep"))) {
            produceRound(step.getKey());
            awaitCommitted(kafka, groupOf("ingest"), consumedEnds(kafka, List.of(OTLP_SPANS, RECORDS), WAIT), WAIT);
            upgrade(step.getValue());
            awaitQuiescent();
            log("round " + step.getKey() + " through the pipeline, " + step.getValue() + " upgraded in it");
        }
        for (int r = 8; r < ROUNDS; r++) {
            produceRound(r);
            awaitQuiescent();
            log("round " + r + " through the pipeline");
        }

        produceSentinels();
        awaitOutputs();
        // A duplicate, or anything else still to come, would be committed by the jobs' next checkpoints.
        awaitQuiescent();
        for (String id : jobs.values()) awaitCheckpoints(flink, id, 2, WAIT);
        log("outputs complete");

        assertIngestOutputIsTheInputOnce();
        assertAggregatesAreTheBruteForceCounts();
        assertThat(alerts()).as("committed alerts").containsExactlyInAnyOrderElementsOf(expectedAlerts());
        assertTracesAreWholeAndOnce();
        // The failover was a real one: the same jobs restarted from a checkpoint, not new submissions.
        for (String job : List.of("ingest", "traces")) {
            assertThat(restores(flink, jobs.get(job))).as(job + " restores").isGreaterThanOrEqualTo(1);
            assertThat(flink.getJson("/jobs/" + jobs.get(job) + "/exceptions").path("exceptionHistory").path("entries").size())
                    .as(job + " failed over when its TaskManager died").isPositive();
        }
        log("done");
    }

    // ---- the input ----

    /**
     * Round {@code r}: per tenant a number of workload records (acme's go above 20 per window in rounds
     * 3 to 5), a few server errors, one sample per host (db-1's CPU above 90 % in rounds 2 to 6, cache-1
     * silent in rounds 4 to 6), three whole traces, and in some rounds an asynchronous trace whose
     * consumer half follows in the next round ({@link #ORDER_TRACE_ROUNDS}), sent in event-time order on
     * each partition.
     */
    private static void produceRound(int r) {
        long base = base(r);
        List<WorkloadRecord> workload = new ArrayList<>();
        for (String tenant : TENANTS) {
            int n = switch (tenant) {
                case "acme" -> r < 3 ? 10 : r < 6 ? 25 : 5;
                case "globex" -> 8;
                case "initech" -> 6;
                default -> 4;
            };
            int errors = switch (tenant + r) {
                case "acme3", "globex1" -> 2;
                case "acme4", "globex5" -> 1;
                case "umbrella8" -> 3;
                default -> 0;
            };
            for (int i = 0; i < n; i++) workload.add(workload(base + i * 4000L / n, tenant, "r" + r + "-" + tenant + "-" + i, i < errors));
        }
        List<SystemSample> system = new ArrayList<>();
        for (int h = 0; h < HOSTS.size(); h++) {
            String host = HOSTS.get(h);
            if (host.equals("cache-1") && r >= 4 && r <= 6) continue;
            double cpu = host.equals("db-1") && r >= 2 && r <= 6 ? 95 : 40;
            system.add(system(base + 200L * (h + 1), host, cpu));
        }
        List<TestSpan> spans = new ArrayList<>();
        for (int k = 0; k < 3; k++) spans.addAll(checkoutTrace(traceId(r, k), base + k * 300L, (r + k) % 4 == 0));
        if (ORDER_TRACE_ROUNDS.contains(r)) spans.addAll(orderTrace(traceId(r, 9), base).subList(0, 2));
        if (ORDER_TRACE_ROUNDS.contains(r - 1)) spans.addAll(orderTrace(traceId(r - 1, 9), base(r - 1)).subList(2, 4));
        send(workload, system, spans);
    }

    /** Two hours on, on every partition of ingest's outputs: every watermark moves past every round. */
    private static void produceSentinels() {
        List<WorkloadRecord> workload = new ArrayList<>();
        List<SystemSample> system = new ArrayList<>();
        List<TestSpan> spans = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            String tenant = onPartition("sentinel-tenant-", p);
            workload.add(workload(SENTINEL, tenant, "sentinel-" + p, false));
            system.add(system(SENTINEL, onPartition("sentinel-host-", p), 10));
            String traceId = onPartition(RUN + "ffff", p, 12);
            spans.add(new TestSpan(traceId, spanId(1), "", "sentinel", "tick", 2, null, SENTINEL * 1_000_000L, SENTINEL * 1_000_000L + 1_000_000L,
                    false));
        }
        send(workload, system, spans);
    }

    private static long base(int round) {
        return T0 + round * ROUND_MILLIS + 12_000;
    }

    private static WorkloadRecord workload(long millis, String tenant, String requestId, boolean error) {
        WorkloadRecord w = new WorkloadRecord();
        w.timestampMillis = millis;
        w.tenant = tenant;
        w.requestId = requestId;
        w.route = "/chat";
        w.method = "POST";
        w.statusCode = error ? 500 : 200;
        w.durationMs = 10 + millis % 50;
        return w;
    }

    private static SystemSample system(long millis, String host, double cpu) {
        SystemSample s = new SystemSample();
        s.timestampMillis = millis;
        s.host = host;
        s.cpuPercentPerCore = new double[] {cpu};
        s.memoryUsedBytes = 1L << 30;
        s.memoryTotalBytes = 4L << 30;
        return s;
    }

    /** A span as the test sends it; {@code kind} is OTLP's number. */
    private record TestSpan(String traceId, String spanId, String parentSpanId, String service, String name, int kind, String route,
                            long startNanos, long endNanos, boolean error) {
        long startMillis() {
            return startNanos / 1_000_000L;
        }

        String kindName() {
            return List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER").get(kind);
        }
    }

    /** frontend → checkout → (orders database, payment); the payment call fails when {@code error}. */
    private static List<TestSpan> checkoutTrace(String traceId, long startMillis, boolean error) {
        long ns = startMillis * 1_000_000L;
        long ms = 1_000_000L;
        return List.of(
                new TestSpan(traceId, spanId(1), "", "frontend", "GET /checkout", 2, "/checkout", ns, ns + 120 * ms, false),
                new TestSpan(traceId, spanId(2), spanId(1), "checkout", "POST /api/checkout", 2, null, ns + 5 * ms, ns + 105 * ms, false),
                new TestSpan(traceId, spanId(3), spanId(2), "checkout", "SELECT orders", 3, null, ns + 15 * ms, ns + 35 * ms, false),
                new TestSpan(traceId, spanId(4), spanId(2), "payment", "POST /charge", 2, null, ns + 40 * ms, ns + 100 * ms, error));
    }

    /** An order placed in one round (request and message published) and processed by a worker in the next. */
    private static List<TestSpan> orderTrace(String traceId, long baseMillis) {
        long ms = 1_000_000L;
        long first = (baseMillis + 1500) * ms;
        long second = (baseMillis + ROUND_MILLIS + 1500) * ms;
        return List.of(
                new TestSpan(traceId, spanId(1), "", "frontend", "POST /orders", 2, "/orders", first, first + 50 * ms, false),
                new TestSpan(traceId, spanId(2), spanId(1), "frontend", "publish order", 4, null, first + 10 * ms, first + 20 * ms, false),
                new TestSpan(traceId, spanId(3), spanId(2), "worker", "process order", 5, null, second, second + 80 * ms, false),
                new TestSpan(traceId, spanId(4), spanId(3), "worker", "UPDATE stock", 3, null, second + 20 * ms, second + 50 * ms, false));
    }

    private static String spanId(int n) {
        return String.format("%016x", n);
    }

    /** Trace {@code k} of round {@code r}; even ones land on ingest-spans' partition 0, odd ones on 1, so both partitions move. */
    private static String traceId(int r, int k) {
        return onPartition(RUN + String.format("%04x%04x", r, k), k % PARTITIONS, 8);
    }

    /** {@code prefix} and the first number after it that Kafka's default partitioner puts on {@code partition}. */
    private static String onPartition(String prefix, int partition) {
        for (int n = 0; ; n++) {
            if (partition(prefix + n) == partition) return prefix + n;
        }
    }

    /** As above, the number as {@code hexDigits} hex digits (ids). */
    private static String onPartition(String prefix, int partition, int hexDigits) {
        for (int n = 0; ; n++) {
            String id = prefix + String.format("%0" + hexDigits + "x", n);
            if (partition(id) == partition) return id;
        }
    }

    /** Where the jobs' sinks put a record of this key (Kafka's default partitioner: murmur2 of the key's bytes). */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Sends records and spans, each topic's partitions in event-time order; remembers them as sent. */
    private static void send(List<WorkloadRecord> workload, List<SystemSample> system, List<TestSpan> spans) {
        sentWorkload.addAll(workload);
        sentSystem.addAll(system);
        sentSpans.addAll(spans);
        List<Map.Entry<Long, byte[]>> records = new ArrayList<>();
        workload.forEach(w -> records.add(Map.entry(w.timestampMillis, RecordJson.encode(w))));
        system.forEach(s -> records.add(Map.entry(s.timestampMillis, RecordJson.encode(s))));
        records.sort(Map.Entry.comparingByKey());
        List<TestSpan> ordered = new ArrayList<>(spans);
        ordered.sort(Comparator.comparingLong(TestSpan::startNanos));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < records.size(); i++) {
                producer.send(new ProducerRecord<>(RECORDS, i % PARTITIONS, null, records.get(i).getValue()));
            }
            for (int i = 0; i < ordered.size(); i++) {
                producer.send(new ProducerRecord<>(OTLP_SPANS, i % PARTITIONS, null, otlp(ordered.get(i)).toByteArray()));
            }
        }
    }

    private static ExportTraceServiceRequest otlp(TestSpan s) {
        HexFormat hex = HexFormat.of();
        io.opentelemetry.proto.trace.v1.Span.Builder span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(com.google.protobuf.ByteString.copyFrom(hex.parseHex(s.traceId())))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(hex.parseHex(s.spanId())))
                .setName(s.name())
                .setKindValue(s.kind())
                .setStartTimeUnixNano(s.startNanos())
                .setEndTimeUnixNano(s.endNanos())
                .setStatus(Status.newBuilder().setCodeValue(s.error() ? Status.StatusCode.STATUS_CODE_ERROR_VALUE : Status.StatusCode.STATUS_CODE_OK_VALUE));
        if (!s.parentSpanId().isEmpty()) span.setParentSpanId(com.google.protobuf.ByteString.copyFrom(hex.parseHex(s.parentSpanId())));
        if (s.route() != null) span.addAttributes(kv("http.route", s.route()));
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", s.service())))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    // ---- the cluster ----

    /** The job's consumer group and transactional-id prefix: unique per job and run. */
    private static String groupOf(String job) {
        return PREFIX + job;
    }

    private static String resource(String name) throws Exception {
        return Path.of(PipelineFaultsClusterTest.class.getResource("/pipeline-faults/" + name).toURI()).toString();
    }

    private static void submit(String job, String... args) {
        List<String> command = new ArrayList<>(List.of("submit", job, "--rest", flink.restUrl(), "--",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX, "--group", groupOf(job)));
        command.addAll(List.of(args));
        String out = cli(command.toArray(String[]::new));
        jobs.put(job, group(out, "Submitted telemetry-" + job + ": job id (\\w+)"));
    }

    /** {@code ./telemetry upgrade job}: the job stops with a savepoint and the new one starts from it. */
    private static void upgrade(String job) {
        String before = jobs.get(job);
        String out = cli("upgrade", job, "--rest", flink.restUrl());
        String id = group(out, "Upgraded telemetry-" + job + ": job id (\\w+)");
        assertThat(id).isNotEqualTo(before);
        assertThat(rest.state(before)).isEqualTo("FINISHED");
        rest.awaitState(id, "RUNNING", WAIT);
        assertThat(flink.getJson("/jobs/" + id + "/checkpoints").path("latest").path("restored").path("is_savepoint").asBoolean())
                .as(job + " resumed from its savepoint").isTrue();
        jobs.put(job, id);
    }

    /** Waits until the job (the same job, failed over) has restored a checkpoint once more and runs again. */
    private static void awaitRestored(String job, String id, long restoresBefore) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (restores(flink, id) <= restoresBefore) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(job + " (" + id + ") did not restore a checkpoint within " + WAIT + "; it is " + rest.state(id));
            }
            Thread.sleep(500);
        }
        rest.awaitState(id, "RUNNING", WAIT);
        assertThat(rest.runningJob("telemetry-" + job).orElseThrow().id()).as("the same " + job + " job failed over").isEqualTo(id);
    }

    /**
     * Waits (up to 60 s) until one of {@code topics} has records in a transaction not yet committed, and
     * returns the topics that have them then (none if the jobs committed all they wrote in between polls).
     */
    private static Set<String> awaitOpenTransactions(List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> open = openTransactions(topics);
        while (open.isEmpty() && System.nanoTime() < deadline) open = openTransactions(topics);
        return open;
    }

    private static org.apache.kafka.clients.admin.Admin sharedAdmin;

    /** One admin client for the polls (a new one per poll costs a connection and metadata each time). */
    private static org.apache.kafka.clients.admin.Admin admin() {
        if (sharedAdmin == null) sharedAdmin = kafka.admin();
        return sharedAdmin;
    }

    /** The topics where a {@code read_uncommitted} reader sees further than a {@code read_committed} one. */
    private static Set<String> openTransactions(List<String> topics) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new LinkedHashMap<>();
        for (String topic : topics) {
            for (int p = 0; p < PARTITIONS; p++) latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        var committed = admin().listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get();
        var written = admin().listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)).all().get();
        Set<String> open = new java.util.TreeSet<>();
        for (TopicPartition p : latest.keySet()) {
            if (written.get(p).offset() > committed.get(p).offset()) open.add(p.topic());
        }
        return open;
    }

    /** Slots in use on each live TaskManager, in start order. */
    private static List<Integer> slotsInUse() {
        Map<String, Integer> used = new TreeMap<>();
        for (var tm : flink.getJson("/taskmanagers").path("taskmanagers")) {
            used.put(tm.path("id").asText(), tm.path("slotsNumber").asInt() - tm.path("freeSlots").asInt());
        }
        return new ArrayList<>(used.values());
    }

    /**
     * Waits until every job has read, and checkpointed, everything written so far: ingest the input,
     * the others ingest's committed output, the CEP job also the aggregates the aggregate job's
     * watermark released (one checkpoint after its input, so the windows that input closed are committed too).
     */
    private static void awaitQuiescent() throws Exception {
        awaitCommitted(kafka, groupOf("ingest"), consumedEnds(kafka, List.of(OTLP_SPANS, RECORDS), WAIT), WAIT);
        Map<TopicPartition, Long> ingested = consumedEnds(kafka, List.of(SPANS, WORKLOAD, SYSTEM), WAIT);
        awaitCommitted(kafka, groupOf("aggregate"), ingested, WAIT);
        awaitCommitted(kafka, groupOf("traces"), only(ingested, List.of(SPANS)), WAIT);
        // The CEP job reads only the signals its rules name.
        awaitCommitted(kafka, groupOf("cep"), only(ingested, List.of(WORKLOAD, SYSTEM)), WAIT);
        awaitCheckpoints(flink, jobs.get("aggregate"), 1, WAIT);
        awaitCommitted(kafka, groupOf("cep"), consumedEnds(kafka, List.of(AGGREGATES), WAIT), WAIT);
    }

    /** Waits until the outputs the sentinels release are all committed (the assertions then say whether they are right). */
    private static void awaitOutputs() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int alerts = expectedAlerts().size();
        int traces = expectedTraces().size();
        while (System.nanoTime() < deadline) {
            awaitQuiescent();
            if (alerts().size() >= alerts && ours(SUMMARIES).size() >= traces && latestAggregates().keySet().containsAll(expectedAggregates().keySet())) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    // ---- what the output must be ----

    private static void assertIngestOutputIsTheInputOnce() {
        assertThat(read(WORKLOAD, WorkloadRecord.class)).extracting(w -> w.requestId).as("ingest-workload")
                .containsExactlyInAnyOrderElementsOf(sentWorkload.stream().map(w -> w.requestId).toList());
        assertThat(read(SYSTEM, SystemSample.class)).extracting(s -> s.host + "@" + seconds(s.timestampMillis)).as("ingest-system")
                .containsExactlyInAnyOrderElementsOf(sentSystem.stream().map(s -> s.host + "@" + seconds(s.timestampMillis)).toList());
        assertThat(read(SPANS, Span.class)).extracting(s -> s.traceId + "/" + s.spanId).as("ingest-spans")
                .containsExactlyInAnyOrderElementsOf(sentSpans.stream().map(s -> s.traceId() + "/" + s.spanId()).toList());
        assertThat(records(DEAD_LETTERS)).as("ingest dead letters").isEmpty();
    }

    private static void assertAggregatesAreTheBruteForceCounts() {
        List<String> emissions = new ArrayList<>();
        for (Aggregate a : read(AGGREGATES, Aggregate.class)) {
            if (isSentinel(a)) continue;
            emissions.add(window(a) + " " + counts(a) + (a.update ? " update" : ""));
        }
        assertThat(emissions).as("aggregate emissions (a window twice with the same content is a replayed transaction)").doesNotHaveDuplicates();
        assertThat(emissions).as("no update: no input event is late by design").noneMatch(e -> e.endsWith(" update"));
        Map<String, String> latest = new TreeMap<>();
        latestAggregates().forEach((window, a) -> latest.put(window, counts(a)));
        assertThat(latest).as("the latest aggregate of every window").isEqualTo(new TreeMap<>(expectedAggregates()));
        assertThat(records(AGGREGATE_DEAD_LETTERS)).as("late events").isEmpty();
    }

    private static void assertTracesAreWholeAndOnce() {
        Map<String, List<TestSpan>> expected = expectedTraces();
        List<String> whole = expected.entrySet().stream().map(e -> e.getKey() + " spans=" + e.getValue().size() + " late=false rootMissing=false")
                .toList();
        List<Trace> summaries = ours(SUMMARIES);
        assertThat(summaries).extracting(t -> t.traceId + " spans=" + t.spanCount + " late=" + t.late + " rootMissing=" + t.rootMissing)
                .as("trace summaries").containsExactlyInAnyOrderElementsOf(whole);
        assertThat(ours(TRACES)).extracting(t -> t.traceId + " " + t.spans.stream().map(s -> s.spanId).sorted().toList())
                .as("kept traces with their spans")
                .containsExactlyInAnyOrderElementsOf(expected.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue().stream().map(TestSpan::spanId).sorted().toList()).toList());
        // The sentinels' own traces are decided by the wall clock, whenever; still never twice.
        assertThat(read(SUMMARIES, Trace.class)).extracting(t -> t.traceId).doesNotHaveDuplicates();
    }

    /** The traces of the rounds (not the sentinels'), by id, with their spans. */
    private static Map<String, List<TestSpan>> expectedTraces() {
        Map<String, List<TestSpan>> traces = new TreeMap<>();
        for (TestSpan s : sentSpans) {
            if (!s.service().equals("sentinel")) traces.computeIfAbsent(s.traceId(), id -> new ArrayList<>()).add(s);
        }
        return traces;
    }

    /** Every window of every resolution that holds a round's event, by brute force: {@code window → counts}. */
    private static Map<String, String> expectedAggregates() {
        Map<String, double[]> counts = new TreeMap<>();
        Function<String, double[]> zero = k -> new double[2];
        for (WorkloadRecord w : sentWorkload) {
            if (w.tenant.startsWith("sentinel")) continue;
            for (long r : RESOLUTIONS) {
                double[] c = counts.computeIfAbsent(window(r, w.timestampMillis, "workload", "tenant=" + w.tenant + " route=" + w.route), zero);
                c[0]++;
                if (w.isError()) c[1]++;
            }
        }
        for (SystemSample s : sentSystem) {
            if (s.host.startsWith("sentinel")) continue;
            for (long r : RESOLUTIONS) counts.computeIfAbsent(window(r, s.timestampMillis, "system", "host=" + s.host), zero)[0]++;
        }
        for (TestSpan s : sentSpans) {
            if (s.service().equals("sentinel")) continue;
            String key = "service=" + s.service() + " name=" + s.name() + " route=" + (s.route() == null ? "" : s.route()) + " kind=" + s.kindName();
            for (long r : RESOLUTIONS) {
                double[] c = counts.computeIfAbsent(window(r, s.startMillis(), "span", key), zero);
                c[0]++;
                if (s.error()) c[1]++;
            }
        }
        Map<String, String> expected = new TreeMap<>();
        counts.forEach((window, c) -> expected.put(window, "count=" + fmt(c[0]) + " errors=" + fmt(c[1])));
        return expected;
    }

    /** The last committed aggregate of every window of the rounds' keys (one key's windows are in one partition, in order). */
    private static Map<String, Aggregate> latestAggregates() {
        Map<String, Aggregate> latest = new TreeMap<>();
        for (Aggregate a : read(AGGREGATES, Aggregate.class)) {
            if (!isSentinel(a)) latest.put(window(a), a);
        }
        return latest;
    }

    private static boolean isSentinel(Aggregate a) {
        return a.tenant.startsWith("sentinel") || a.host.startsWith("sentinel") || a.serviceName.equals("sentinel");
    }

    private static String window(Aggregate a) {
        String key = switch (a.signal) {
            case "workload" -> "tenant=" + a.tenant + " route=" + a.route;
            case "system" -> "host=" + a.host;
            case "span" -> "service=" + a.serviceName + " name=" + a.spanName + " route=" + a.route + " kind=" + a.kind;
            default -> AggregateKey.of(a);
        };
        return a.resolution + " " + a.signal + " " + key + " @" + seconds(a.windowStart);
    }

    private static String window(long resolution, long millis, String signal, String key) {
        return RESOLUTION_LABELS.get(resolution) + " " + signal + " " + key + " @" + seconds(millis - Math.floorMod(millis, resolution));
    }

    private static String counts(Aggregate a) {
        return "count=" + fmt(a.count) + " errors=" + fmt(a.errorCount);
    }

    private static String fmt(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /**
     * The alerts the rounds decide (see the rules in {@code pipeline-faults/rules}), as {@code rule status
     * labels eventTime} with the time in seconds after T0.
     */
    private static List<String> expectedAlerts() {
        long forHeartbeat = 30_000;
        return List.of(
                // db-1 above 90 % from round 2 (held through the crash in round 5); 60 s later, at round 5, it has held
                // long enough; round 7 (in which the CEP job is upgraded) ends it.
                alert("pf-cpu-hot", Alert.FIRING, "host", "db-1", base(5) + 200),
                alert("pf-cpu-hot", Alert.RESOLVED, "host", "db-1", base(7) + 200),
                // cache-1 silent after round 3: alerted as round 5 arrives (written when the TaskManager dies, again
                // after the restore), back in round 7 (from the CEP job's savepoint).
                alert("pf-heartbeat", Alert.FIRING, "host", "cache-1", base(3) + 600 + forHeartbeat),
                alert("pf-heartbeat", Alert.RESOLVED, "host", "cache-1", base(7) + 600),
                // Every host stops after the last round: the sentinels' watermark passes their deadlines.
                alert("pf-heartbeat", Alert.FIRING, "host", "db-1", base(ROUNDS - 1) + 200 + forHeartbeat),
                alert("pf-heartbeat", Alert.FIRING, "host", "web-1", base(ROUNDS - 1) + 400 + forHeartbeat),
                alert("pf-heartbeat", Alert.FIRING, "host", "cache-1", base(ROUNDS - 1) + 600 + forHeartbeat),
                // Two of acme's errors in round 3, the third in round 4: 20 s apart, within 30 s; alerted as round 5 arrives.
                alert("pf-error-burst", Alert.FIRING, "tenant", "acme", base(4)),
                alert("pf-error-burst", Alert.FIRING, "tenant", "umbrella", base(8) + 2000),
                // acme's 10 s windows count 25 in rounds 3 to 5 (their aggregates written as the crash and the aggregate
                // upgrade happen), 5 from round 6.
                alert("pf-busy-tenant", Alert.FIRING, "tenant", "acme", windowEnd(3) - 1),
                alert("pf-busy-tenant", Alert.RESOLVED, "tenant", "acme", windowEnd(6) - 1));
    }

    /** The end of the 10 s window that holds round {@code r}'s events. */
    private static long windowEnd(int r) {
        return T0 + (r + 1) * ROUND_MILLIS;
    }

    private static String alert(String rule, String status, String label, String value, long eventTime) {
        return rule + " " + status + " {" + label + "=" + value + "} @" + seconds(eventTime);
    }

    private static List<String> alerts() {
        return read(ALERTS, Alert.class).stream().map(a -> a.ruleId + " " + a.status + " " + new TreeMap<>(a.labels) + " @" + seconds(a.eventTime))
                .toList();
    }

    /** The rounds' traces committed on a topic (not the sentinels'). */
    private static List<Trace> ours(String topic) {
        return read(topic, Trace.class).stream().filter(t -> t.traceId.startsWith(RUN) && !t.traceId.startsWith(RUN + "ffff")).toList();
    }

    private static <T> List<T> read(String topic, Class<T> type) {
        List<T> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
            try {
                events.add(EventJson.fromBytes(r.value(), type));
            } catch (java.io.IOException e) {
                throw new AssertionError("Not a " + type.getSimpleName() + " on " + topic + ": " + new String(r.value(), StandardCharsets.UTF_8), e);
            }
        }
        return events;
    }

    /**
     * Every committed record of the topic, partition by partition in offset order; a transaction the jobs
     * have open is waited for (a checkpoint on this loaded machine can take tens of seconds).
     */
    private static List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        return kafka.readCommitted(topic, Duration.ofMinutes(2));
    }

    /** Seconds after T0, as {@code 60} or {@code 60.001} (a millisecond off must show). */
    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis - T0, 3).stripTrailingZeros().toPlainString();
    }

    /** Progress, also to {@code target/pipeline-faults-progress.log}: surefire holds a test's output back until it ends. */
    private static void log(String what) {
        String line = String.format("PipelineFaultsClusterTest [%4d s] %s%n", (System.nanoTime() - started) / 1_000_000_000L, what);
        System.out.print(line);
        try {
            java.nio.file.Files.writeString(Path.of("target", "pipeline-faults-progress.log"), line, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // Progress is a convenience; the test goes on without it.
        }
    }
}
