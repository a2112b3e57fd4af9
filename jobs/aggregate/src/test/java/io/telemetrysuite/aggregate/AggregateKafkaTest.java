package io.telemetrysuite.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.flink.EventTime;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import io.telemetrysuite.testing.TestSpans;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The aggregate job between real Kafka topics: ingest's committed events in, exact windows out, exactly once. */
@ExtendWith(KafkaBrokerExtension.class)
class AggregateKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void ingestTopicsInAggregatesTopicOutWithExactWindowCounts(KafkaBroker broker) throws Exception {
        String run = "agg" + System.nanoTime() % 1_000_000 + "-";
        IngestTopics topics = new IngestTopics().withPrefix(run);
        String aggregatesTopic = run + "aggregates";
        Map<String, Integer> create = new LinkedHashMap<>();
        topics.outputs().forEach(t -> create.put(t, 2));
        create.put(aggregatesTopic, 2);
        create.put(run + "aggregate-dead-letter", 2);
        create.put(run + "forecasts", 2);
        broker.createTopics(create);

        long t0 = (System.currentTimeMillis() / 60_000 - 10) * 60_000; // on a minute, ten minutes ago
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            // 30 s of spans: "cart" one per second (every 5th an error), "search" two per second.
            for (int s = 0; s < 30; s++) {
                long start = (t0 + s * 1_000L) * 1_000_000L;
                Span cart = TestSpans.span(hex(32, s), hex(16, s), "cart", start, 20 * TestSpans.MS, s % 5 == 0);
                producer.send(new ProducerRecord<>(topics.spans, EventJson.toBytes(cart)));
                for (int k = 0; k < 2; k++) {
                    Span search = TestSpans.span(hex(32, 1000 + 2 * s + k), hex(16, 1000 + 2 * s + k), "search", start + k * 400_000_000L,
                            5 * TestSpans.MS, false);
                    producer.send(new ProducerRecord<>(topics.spans, EventJson.toBytes(search)));
                }
                WorkloadRecord w = new WorkloadRecord();
                w.timestampMillis = t0 + s * 1_000L;
                w.tenant = "acme";
                w.statusCode = 200;
                w.durationMs = 10;
                producer.send(new ProducerRecord<>(topics.workload, EventJson.toBytes(w)));
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(io.telemetrysuite.ingest.IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        AggregateJob.kafkaTopology(env, new AggregateConfig(), broker.bootstrapServers(), topics, aggregatesTopic, run + "forecasts",
                run + "aggregate-dead-letter",
                run + "group", run + "tx", null, null, true);
        env.execute("aggregate kafka test");

        Map<String, Double> countsBy10sWindow = new TreeMap<>();
        Map<String, Double> errorsBy10sWindow = new TreeMap<>();
        Map<Long, Double> workloadBy1mWindow = new TreeMap<>();
        // In topic order per key: an update (a window re-emitted after late events) replaces the earlier line.
        for (Aggregate a : readCommitted(broker, aggregatesTopic, Aggregate.class)) {
            if (a.signal.equals("span") && a.resolution.equals("10s")) {
                String key = a.serviceName + "@" + (a.windowStart - t0) / 1000;
                countsBy10sWindow.put(key, a.count);
                errorsBy10sWindow.put(key, a.errorCount);
            }
            if (a.signal.equals("workload") && a.resolution.equals("1m")) workloadBy1mWindow.put(a.windowStart, a.count);
        }
        double workloadAt1m = workloadBy1mWindow.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(countsBy10sWindow).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cart@0", 10.0, "cart@10", 10.0, "cart@20", 10.0,
                "search@0", 20.0, "search@10", 20.0, "search@20", 20.0));
        assertThat(errorsBy10sWindow).containsEntry("cart@0", 2.0).containsEntry("cart@10", 2.0).containsEntry("cart@20", 2.0)
                .containsEntry("search@0", 0.0);
        assertThat(workloadAt1m).isEqualTo(30.0);
    }

    @Test
    void eventsLaterThanTheAllowedLatenessReachTheDeadLetterTopicWithTheirReason(KafkaBroker broker) throws Exception {
        String run = "late" + System.nanoTime() % 1_000_000 + "-";
        IngestTopics topics = new IngestTopics().withPrefix(run);
        Map<String, Integer> create = new LinkedHashMap<>();
        // One partition each and parallelism 1: the events reach the watermark generator in the order written.
        topics.outputs().forEach(t -> create.put(t, 1));
        create.put(run + "aggregates", 1);
        create.put(run + "aggregate-dead-letter", 1);
        create.put(run + "forecasts", 1);
        broker.createTopics(create);

        long t0 = (System.currentTimeMillis() / 60_000 - 10) * 60_000;
        int[] seconds = {1, 2, 3, 100, 4, 50, 5};   // after 100 s the watermark is 94.999 s: [0s,10s) closed at 69.999 s
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            for (int i = 0; i < seconds.length; i++) {
                Span span = TestSpans.span(hex(32, i), hex(16, i), "cart", (t0 + seconds[i] * 1_000L) * 1_000_000L, 20 * TestSpans.MS, false);
                producer.send(new ProducerRecord<>(topics.spans, EventJson.toBytes(span)));
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(io.telemetrysuite.ingest.IngestJob.baseConfiguration());
        env.setParallelism(1);
        env.enableCheckpointing(500);
        AggregateJob.kafkaTopology(env, new AggregateConfig(), broker.bootstrapServers(), topics, run + "aggregates", run + "forecasts",
                run + "aggregate-dead-letter", run + "group", run + "tx", null, null, true, perEventWatermarks());
        env.execute("aggregate late events test");

        List<DeadLetter> late = readCommitted(broker, run + "aggregate-dead-letter", DeadLetter.class);
        assertThat(late).extracting(d -> d.reason + " " + d.signal + " " + d.source).containsExactly(
                AggregateJob.LATE_EVENT + " span aggregate@" + (t0 + 4_000L),
                AggregateJob.LATE_EVENT + " span aggregate@" + (t0 + 5_000L));
        assertThat(late.get(0).message).isEqualTo("span event at " + (t0 + 4_000L)
                + " ms is later than the allowed lateness (60000 ms) behind the watermark " + (t0 + 94_999L) + " ms");
        Observation raw = EventJson.fromBytes(late.get(0).raw, Observation.class);
        assertThat(raw.serviceName).isEqualTo("cart");
        assertThat(raw.timestampMillis).isEqualTo(t0 + 4_000L);
        // The 50 s event was late too, but within the allowed lateness: its window took it.
        Map<Long, Double> counts = new TreeMap<>();
        for (Aggregate a : readCommitted(broker, run + "aggregates", Aggregate.class)) {
            if (a.signal.equals("span") && a.resolution.equals("10s")) counts.put((a.windowStart - t0) / 1000, a.count);
        }
        assertThat(counts).containsExactly(Map.entry(0L, 3.0), Map.entry(50L, 1.0), Map.entry(100L, 1.0));
    }

    /** A watermark right after every event (largest timestamp − out-of-orderness − 1 ms), so lateness is decided by the order written. */
    private static SourceWatermarks perEventWatermarks() {
        long bound = new AggregateConfig().maxOutOfOrderness.toMillis();
        return new SourceWatermarks() {
            @Override
            public <T> WatermarkStrategy<T> of(Class<T> type) {
                return WatermarkStrategy.<T>forGenerator(context -> new PerEventWatermarks<>(bound)).withTimestampAssigner(EventTime.assigner(type));
            }
        };
    }

    private static final class PerEventWatermarks<T> implements WatermarkGenerator<T> {
        private final long bound;
        private long max;

        PerEventWatermarks(long bound) {
            this.bound = bound;
            this.max = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            max = Math.max(max, timestamp);
            output.emitWatermark(new Watermark(max - bound - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    private static String hex(int length, int n) {
        String digits = Integer.toHexString(n + 1);
        return "a".repeat(length - digits.length()) + digits;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static <T> List<T> readCommitted(KafkaBroker broker, String topic, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : broker.readCommitted(topic, Duration.ofSeconds(60))) {
            out.add(EventJson.fromBytes(record.value(), type));
        }
        return out;
    }
}
