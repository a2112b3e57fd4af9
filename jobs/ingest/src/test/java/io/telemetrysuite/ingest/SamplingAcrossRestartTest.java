package io.telemetrysuite.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling decisions per trace hold at parallelism 2 and across a stop-with-savepoint and restore:
 * the ingest job reads the first half of every trace, stops with a savepoint, and resumes from it
 * on the second half with another budget. Kept spans come out exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SamplingAcrossRestartTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final int TRACES = 3_000;
    private static final int SPANS_PER_HALF = 2;

    @TempDir Path savepoints;

    @Test
    void everySpanOfATraceGetsTheSameDecisionAcrossParallelInstancesAndARestore(KafkaBroker broker) throws Exception {
        String run = "sampling" + System.nanoTime() % 1_000_000;
        IngestConfig config = new IngestConfig();
        config.bootstrapServers = broker.bootstrapServers();
        config.consumerGroup = run;
        config.transactionalIdPrefix = run;
        config.topics = new IngestTopics().withPrefix(run + "-");
        config.sampling.enabled = true;
        config.sampling.spansPerSecondPerService = 300;
        Map<String, Integer> topics = new LinkedHashMap<>();
        config.topics.inputs().forEach(t -> topics.put(t, 2));
        config.topics.outputs().forEach(t -> topics.put(t, 2));
        broker.createTopics(topics);

        long t0 = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
        Random random = new Random(11);
        byte[][] traceIds = new byte[TRACES][16];
        for (byte[] id : traceIds) {
            random.nextBytes(id);
            id[0] |= 1;
        }

        // Run 1: first half of every trace, a few hundred traces per second of event time.
        produce(broker, config.topics.otlpSpans, traceIds, 0, t0, random);
        Configuration checkpointing = new Configuration();
        checkpointing.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, savepoints.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = environment(checkpointing);
        buildIngest(env, config);
        JobClient first = env.executeAsync("sampling run 1");
        awaitConsumed(broker, config.consumerGroup, config.topics.otlpSpans);
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        // The savepoint completes before the sinks' committers have committed it: wait for the job to end.
        first.getJobExecutionResult().get();

        // Run 2: second half, restored from the savepoint, with a budget 50x larger.
        produce(broker, config.topics.otlpSpans, traceIds, SPANS_PER_HALF, t0, random);
        config.sampling.spansPerSecondPerService = 15_000;
        Configuration restore = checkpointing.clone();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment resumed = environment(restore);
        // Unbounded again: a restored Kafka split keeps the stopping offset it was checkpointed with.
        buildIngest(resumed, config);
        JobClient second = resumed.executeAsync("sampling run 2");
        awaitConsumed(broker, config.consumerGroup, config.topics.otlpSpans);
        second.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        second.getJobExecutionResult().get();

        List<Span> spans = IngestKafkaEndToEndTest.readCommitted(broker, config.topics.spans, Span.class);
        assertThat(spans).extracting(s -> s.spanId).doesNotHaveDuplicates();
        Map<String, List<Span>> byTrace = spans.stream().collect(Collectors.groupingBy(s -> s.traceId));
        assertThat(byTrace.size()).as("some traces kept, some dropped").isBetween(TRACES / 20, TRACES - TRACES / 20);
        Map<Integer, Integer> traceSizes = new HashMap<>();
        byTrace.values().forEach(trace -> traceSizes.merge(trace.size(), 1, Integer::sum));
        // Kept traces are whole: both halves, decided once.
        assertThat(traceSizes.keySet()).isEqualTo(Set.of(2 * SPANS_PER_HALF));
        // Every span of a trace carries its trace's 1/p; traces decided after the first second of event time have p < 1.
        assertThat(byTrace.values()).allSatisfy(trace -> assertThat(trace).extracting(s -> s.adjustedCount).containsOnly(trace.get(0).adjustedCount));
        assertThat(spans).anySatisfy(s -> assertThat(s.adjustedCount).isGreaterThan(1.0));
    }

    private static StreamExecutionEnvironment environment(Configuration extra) {
        Configuration conf = IngestJob.baseConfiguration();
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        return env;
    }

    private static void buildIngest(StreamExecutionEnvironment env, IngestConfig config) {
        IngestJob.attachSinks(IngestJob.buildTopology(IngestJob.kafkaSource(env, config, false), config, IngestPolicies.load(config)),
                IngestJob.kafkaSinks(config), null);
    }

    /** One export request per trace half: spans {@code from..from+SPANS_PER_HALF} of every trace, in trace order over 10 s of event time. */
    private static void produce(KafkaBroker broker, String topic, byte[][] traceIds, int from, long t0, Random random) {
        try (KafkaProducer<byte[], byte[]> producer = IngestKafkaEndToEndTest.producer(broker)) {
            for (int t = 0; t < traceIds.length; t++) {
                long start = t0 + t * (10_000_000_000L / traceIds.length) + from;
                ScopeSpans.Builder scope = ScopeSpans.newBuilder();
                for (int s = from; s < from + SPANS_PER_HALF; s++) {
                    byte[] spanId = new byte[8];
                    random.nextBytes(spanId);
                    spanId[0] |= 1;
                    scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                            .setTraceId(ByteString.copyFrom(traceIds[t])).setSpanId(ByteString.copyFrom(spanId))
                            .setName("GET /search").setStartTimeUnixNano(start + s).setEndTimeUnixNano(start + s + 1_000_000L));
                }
                ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("search"))))
                        .addScopeSpans(scope)).build();
                producer.send(new ProducerRecord<>(topic, request.toByteArray()));
            }
        }
    }

    /** Waits until the job committed source offsets up to the topic's end (it commits them on checkpoints). */
    private static void awaitConsumed(KafkaBroker broker, String group, String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            long deadline = System.currentTimeMillis() + Duration.ofSeconds(90).toMillis();
            while (System.currentTimeMillis() < deadline) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                        .filter(o -> o != null).mapToLong(o -> o.offset()).sum();
                if (committed >= end) return;
                Thread.sleep(200);
            }
            throw new AssertionError("the job did not consume " + topic + " within 90 s");
        }
    }
}
