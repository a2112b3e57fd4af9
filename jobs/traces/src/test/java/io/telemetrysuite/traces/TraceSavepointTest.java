package io.telemetrysuite.traces;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.traces.SdkTraces.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-with-savepoint in the middle of decision_wait, with half of every trace's spans in keyed state,
 * then resume from the savepoint and send the other half: every trace comes out once, whole.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TraceSavepointTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final int TRACES = 10;

    @Test
    void restoresPendingTracesFromASavepointWithoutSplittingOrLosingAny(KafkaBroker broker, @InjectClusterClient ClusterClient<?> client,
                                                                          @TempDir Path savepoints) throws Exception {
        String run = "sp" + System.nanoTime() % 1_000_000 + "-";
        IngestTopics topics = new IngestTopics().withPrefix(run);
        String tracesTopic = run + "traces";
        String summariesTopic = run + "trace-summaries";
        Map<String, Integer> create = new LinkedHashMap<>();
        create.put(topics.spans, 2);
        create.put(tracesTopic, 2);
        create.put(summariesTopic, 2);
        broker.createTopics(create);
        String group = run + "group";

        List<List<Span>> traces = new ArrayList<>();
        for (int n = 1; n <= TRACES; n++) traces.add(SdkTraces.checkout(n, BASE_EPOCH_NANOS + n * 100 * MS, false));
        try (KafkaProducer<byte[], byte[]> producer = TraceKafkaTest.producer(broker)) {
            for (List<Span> trace : traces) trace.subList(0, 3).forEach(s -> send(producer, topics.spans, null, s));
        }

        JobID first = client.submitJob(streamGraph(broker, topics, tracesTopic, summariesTopic, group, null).getJobGraph()).get();
        awaitCommittedOffsets(broker, group, topics.spans);
        String savepoint = client.stopWithSavepoint(first, false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        System.out.println("TraceSavepointTest: savepoint " + savepoint);
        assertThat(TraceKafkaTest.readCommitted(broker, summariesTopic)).as("nothing decided before the savepoint").isEmpty();
        // The first halves now exist only in the savepoint's keyed state: a job that lost it would emit split traces.
        deleteAllRecords(broker, topics.spans);

        try (KafkaProducer<byte[], byte[]> producer = TraceKafkaTest.producer(broker)) {
            for (List<Span> trace : traces) trace.subList(3, trace.size()).forEach(s -> send(producer, topics.spans, null, s));
            // A minute later on both partitions, so both subtasks' watermarks pass every deadline above.
            for (int p = 0; p < 2; p++) {
                for (Span s : SdkTraces.checkout(100 + p, BASE_EPOCH_NANOS + 60_000 * MS, false)) send(producer, topics.spans, p, s);
            }
        }
        JobID second = client.submitJob(streamGraph(broker, topics, tracesTopic, summariesTopic, group, savepoint).getJobGraph()).get();
        List<Trace> summaries = awaitTraces(broker, summariesTopic, TRACES);
        client.cancel(second).get();

        assertThat(summaries).extracting(t -> t.traceId + " " + t.spanCount + " " + t.late + " " + t.rootMissing)
                .containsExactlyInAnyOrderElementsOf(traces.stream().map(t -> t.get(0).traceId + " 6 false false").toList());
        // The pending traces 100 and 101 are not decided: their deadlines are still ahead of the watermark.
        assertThat(TraceKafkaTest.readCommitted(broker, tracesTopic)).hasSize(TRACES).allSatisfy(t -> assertThat(t.spans).hasSize(6));
    }

    private static StreamGraph streamGraph(KafkaBroker broker, IngestTopics topics, String tracesTopic, String summariesTopic, String group,
                                           String savepoint) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        TraceConfig config = TraceConfig.keepAll();
        config.processingTimeBound = Duration.ofHours(1); // only event time decides, however slow the machine
        TraceJob.kafkaTopology(env, config, broker.bootstrapServers(), topics, tracesTopic, summariesTopic, group,
                group + "-tx", null, null, false);
        StreamGraph graph = env.getStreamGraph();
        if (savepoint != null) graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
        return graph;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, Span span) {
        producer.send(new ProducerRecord<>(topic, partition, span.traceId.getBytes(StandardCharsets.UTF_8), EventJson.toBytes(span)));
    }

    private static void deleteAllRecords(KafkaBroker broker, String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> all = new LinkedHashMap<>();
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset();
                all.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end));
            }
            admin.deleteRecords(all).all().get();
        }
    }

    /** The source commits offsets when a checkpoint completes: then every span sent is in the job's state. */
    private static void awaitCommittedOffsets(KafkaBroker broker, String group, String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, Long> end = new LinkedHashMap<>();
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                end.put(tp, admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset());
            }
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                if (end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue())) return;
                Thread.sleep(200);
            }
            throw new AssertionError("the job did not read every span within 3 minutes");
        }
    }

    private static List<Trace> awaitTraces(KafkaBroker broker, String topic, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        List<Trace> traces = List.of();
        while (System.currentTimeMillis() < deadline) {
            traces = TraceKafkaTest.readCommitted(broker, topic);
            System.out.println("TraceSavepointTest: " + traces.size() + " traces committed on " + topic);
            if (traces.size() >= count) {
                // One more checkpoint's worth, so a duplicate would show.
                Thread.sleep(1_500);
                return TraceKafkaTest.readCommitted(broker, topic);
            }
            Thread.sleep(500);
        }
        return traces;
    }
}
