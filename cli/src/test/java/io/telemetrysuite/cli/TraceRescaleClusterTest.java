package io.telemetrysuite.cli;

import static io.telemetrysuite.cli.ClusterTestSupport.awaitCheckpoints;
import static io.telemetrysuite.cli.ClusterTestSupport.cli;
import static io.telemetrysuite.cli.ClusterTestSupport.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.cli.cluster.FlinkRest;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.services.FlinkCluster;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./telemetry rescale traces 2} on a real standalone Flink cluster with the trace job's fat jar
 * and the real Kafka broker, in the middle of {@code decision_wait}: the first half of every trace's
 * spans is in the assembler's keyed state when the job is stopped with a savepoint and resumed at
 * parallelism 2 (its key groups now split over two subtasks); the second halves arrive after. Every
 * trace is then committed exactly once, whole: a lost or misplaced key group would show as traces of
 * three spans without their root, or as a late fragment beside the trace.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TraceRescaleClusterTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    /** TraceJob.main reads ingest's default spans topic and writes the default trace topics under its default group. */
    private static final String SPANS = "ingest-spans";
    private static final String TRACES = "traces";
    private static final String SUMMARIES = "trace-summaries";
    private static final String GROUP = "telemetry-traces";
    private static final int COUNT = 20;
    private static final long MS = 1_000_000L;
    /**
     * Half an hour ahead of the wall clock, so spans other tests may write to the shared spans topic during
     * this run cannot move the watermark past this test's deadlines; only this test's last spans do. Not
     * further: the broker refuses records (and the job's sink its output) stamped more than an hour ahead.
     */
    private static final long T0 = (System.currentTimeMillis() / 1000 * 1000 + 30 * 60_000) * MS;
    /** Trace ids unique to this run (hex, 32 characters with the trace number), should the broker's topics be shared. */
    private static final String RUN = String.format("%016x", System.nanoTime());

    @TempDir
    static Path dir;

    private static FlinkCluster flink;
    private static FlinkRest rest;
    private static KafkaBroker kafka;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String t : List.of(SPANS, TRACES, SUMMARIES)) topics.put(t, 2);
        broker.createTopics(topics);
        flink = FlinkCluster.builder()
                .stateDir(dir.resolve("cluster"))
                .taskManagers(1)
                .setting("jobmanager.memory.process.size", "1024m")
                .setting("taskmanager.memory.process.size", "1536m")
                .setting("taskmanager.numberOfTaskSlots", "2")
                .setting("parallelism.default", "1")
                .start();
        rest = new FlinkRest(flink.restUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (flink == null) return;
        ClusterTestSupport.keepLogs(flink, TraceRescaleClusterTest.class);
        flink.stop();
    }

    @Test
    void rescalingFromOneToTwoInTheMiddleOfDecisionWaitLosesAndSplitsNoTrace() throws Exception {
        // decision_wait 10m: its processing-time bound (decision_wait + 30 s of wall clock) stays far beyond
        // this test's run however slow the machine, so only the event time this test sends decides.
        Path sampling = dir.resolve("tail-sampling.yaml");
        Files.writeString(sampling, """
                processors:
                  tail_sampling:
                    decision_wait: 10m
                    policies:
                      - {name: keep-all, type: always_sample}
                """);
        String submitted = cli("submit", "traces", "--rest", flink.restUrl(), "--", "--bootstrap-servers", kafka.bootstrapServers(),
                "--tail-sampling", sampling.toString());
        String jobId = group(submitted, "Submitted telemetry-traces: job id (\\w+)");
        rest.awaitState(jobId, "RUNNING", WAIT);
        assertThat(assemblyParallelism(jobId)).isEqualTo(1);

        List<List<Span>> traces = new ArrayList<>();
        for (int n = 0; n < COUNT; n++) traces.add(trace(n));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (List<Span> trace : traces) trace.subList(0, 3).forEach(s -> send(producer, null, s));
        }
        // A checkpoint that covers every first half: from here on those spans live in keyed state, behind the job's offsets.
        awaitCommittedOffsets();
        assertThat(ours(SUMMARIES)).as("nothing decided before the rescale").isEmpty();
        // The job has read them; with them gone the first halves exist only in its state, so a rescaled job that
        // lost it (the source starts from the earliest offset without state) would emit split traces, not whole ones.
        deleteAllRecords();

        String rescaled = cli("rescale", "traces", "2", "--rest", flink.restUrl());
        String newJob = group(rescaled, "Rescaled telemetry-traces to parallelism 2: job id (\\w+)");
        assertThat(newJob).isNotEqualTo(jobId);
        rest.awaitState(newJob, "RUNNING", WAIT);
        assertThat(rest.jobConfig(newJob).path("execution-config").path("job-parallelism").asInt()).isEqualTo(2);
        assertThat(assemblyParallelism(newJob)).isEqualTo(2);
        assertThat(flink.getJson("/jobs/" + newJob + "/checkpoints").path("counts").path("restored").asInt())
                .as("the new job started from the savepoint").isEqualTo(1);

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (List<Span> trace : traces) trace.subList(3, trace.size()).forEach(s -> send(producer, null, s));
            // Eleven minutes on, on every partition, so every source subtask's watermark passes all the deadlines above.
            int partitions = producer.partitionsFor(SPANS).size();
            for (int p = 0; p < partitions; p++) send(producer, p, span(id(1000 + p), 1, 0, "tick", T0 + 11 * 60_000 * MS, 1));
        }

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ours(SUMMARIES).size() < COUNT && System.nanoTime() < deadline) Thread.sleep(1000);
        System.out.println("TraceRescaleClusterTest: " + ours(SUMMARIES).size() + " summaries; checkpoints "
                + flink.getJson("/jobs/" + newJob + "/checkpoints").path("counts") + "; exceptions "
                + flink.getJson("/jobs/" + newJob + "/exceptions").path("exceptionHistory").path("entries"));
        // A duplicate or a late fragment would be committed by the next checkpoints, not after them.
        awaitCommittedOffsets();
        awaitCheckpoints(flink, newJob, 2, WAIT);

        List<String> expected = traces.stream().map(t -> t.get(0).traceId + " spans=6 late=false rootMissing=false").toList();
        assertThat(ours(SUMMARIES)).extracting(t -> t.traceId + " spans=" + t.spanCount + " late=" + t.late + " rootMissing=" + t.rootMissing)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ours(TRACES)).extracting(t -> t.traceId + " spans=" + t.spans.size() + " late=" + t.late + " rootMissing=" + t.rootMissing)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Six spans of a checkout-like trace starting at T0 + n * 100 ms, in the order they end (the root last). */
    private static List<Span> trace(int n) {
        String traceId = id(n);
        long start = T0 + n * 100 * MS;
        return List.of(
                span(traceId, 4, 3, "SELECT orders", start + 15 * MS, 20),
                span(traceId, 6, 5, "POST /charge", start + 45 * MS, 50),
                span(traceId, 5, 3, "POST /charge", start + 40 * MS, 60),
                span(traceId, 3, 2, "POST /api/checkout", start + 10 * MS, 100),
                span(traceId, 2, 1, "POST /api/checkout", start + 5 * MS, 110),
                span(traceId, 1, 0, "GET /checkout", start, 120));
    }

    private static String id(int n) {
        return RUN + String.format("%016x", n);
    }

    private static Span span(String traceId, int spanNumber, int parentNumber, String name, long startNanos, long durationMs) {
        Span s = new Span();
        s.traceId = traceId;
        s.spanId = String.format("%016x", spanNumber);
        s.parentSpanId = parentNumber == 0 ? "" : String.format("%016x", parentNumber);
        s.name = name;
        s.kind = parentNumber == 0 ? "SERVER" : "INTERNAL";
        s.serviceName = spanNumber <= 2 ? "frontend" : spanNumber == 6 ? "payment" : "checkout";
        s.startTimeUnixNano = startNanos;
        s.endTimeUnixNano = startNanos + durationMs * MS;
        return s;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Integer partition, Span span) {
        producer.send(new ProducerRecord<>(SPANS, partition, span.traceId.getBytes(StandardCharsets.UTF_8), EventJson.toBytes(span)));
    }

    /** This run's traces committed on a topic. */
    private static List<Trace> ours(String topic) throws Exception {
        List<Trace> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(topic, Duration.ofSeconds(30))) {
            Trace t = EventJson.fromBytes(r.value(), Trace.class);
            if (t.traceId.startsWith(RUN)) out.add(t);
        }
        return out;
    }

    /** The smallest parallelism of the job's vertices: all of them, the assembler included, follow the job's. */
    private static int assemblyParallelism(String jobId) {
        int min = Integer.MAX_VALUE;
        for (JsonNode vertex : flink.getJson("/jobs/" + jobId).path("vertices")) min = Math.min(min, vertex.path("parallelism").asInt());
        return min;
    }

    /**
     * Waits until the job's consumer group has committed the spans topic's current end on every partition:
     * the Kafka source commits on a completed checkpoint, so every span before it has reached the job's state.
     */
    private static void awaitCommittedOffsets() throws Exception {
        try (Admin admin = kafka.admin()) {
            int partitions = admin.describeTopics(List.of(SPANS)).allTopicNames().get().get(SPANS).partitions().size();
            Map<TopicPartition, Long> end = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(SPANS, p);
                end.put(tp, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset());
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> now = committed;
                if (end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (now.get(e.getKey()) != null && now.get(e.getKey()).offset() >= e.getValue()))) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("The trace job committed " + committed + " on " + SPANS + ", not " + end + ", within " + WAIT
                    + "; jobs: " + flink.getJson("/jobs/overview"));
        }
    }

    /** Deletes the spans topic's records up to its current end, on every partition. */
    private static void deleteAllRecords() throws Exception {
        try (Admin admin = kafka.admin()) {
            int partitions = admin.describeTopics(List.of(SPANS)).allTopicNames().get().get(SPANS).partitions().size();
            Map<TopicPartition, RecordsToDelete> all = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(SPANS, p);
                long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
                all.put(tp, RecordsToDelete.beforeOffset(end));
            }
            admin.deleteRecords(all).all().get();
        }
    }
}
