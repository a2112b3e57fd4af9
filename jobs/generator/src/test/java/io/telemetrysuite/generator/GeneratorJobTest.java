package io.telemetrysuite.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class GeneratorJobTest {
    private static final Queue<GeneratedRecord> SINK = new ConcurrentLinkedQueue<>();

    /** Collects into a static queue: sinks are serialized to the task, so an instance field would not be seen. */
    static final class CollectingSink implements Sink<GeneratedRecord> {
        @Override
        public SinkWriter<GeneratedRecord> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(GeneratedRecord element, Context ctx) {
                    SINK.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    void generatedRecordIsAPojo() {
        assertThat(TypeInformation.of(GeneratedRecord.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void unpacedJobProducesExactlyCountRecordsOnTheFourTopics() throws Exception {
        SINK.clear();
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.speedup = 0;
        cfg.count = 3_000;
        StreamExecutionEnvironment env = env();
        GeneratorJob.buildTopology(env, cfg, new CollectingSink());
        env.execute("generator test");
        assertThat(SINK).hasSize(3_000);
        assertThat(SINK).extracting(r -> r.topic).containsOnly("otlp_spans", "otlp_metrics", "otlp_logs", "telemetry_records");
        // Both subtasks generate from the start; their shards differ, so no message is duplicated.
        assertThat(SINK.stream().filter(r -> r.topic.equals("otlp_spans")).map(r -> java.util.Arrays.hashCode(r.value)).distinct().count())
                .isEqualTo(SINK.stream().filter(r -> r.topic.equals("otlp_spans")).count());
    }

    @Test
    void pacedJobNeverRunsAheadOfTheWallClock() throws Exception {
        SINK.clear();
        long now = System.currentTimeMillis();
        // Replays the last 30 s at 1000x, then would follow the clock; 1500 records end it within the backlog.
        GeneratorConfig cfg = GeneratorJob.parseArgs(new String[] {"--start", "now-PT30S", "--speedup", "1000", "--count", "1500"}, now);
        StreamExecutionEnvironment env = env();
        GeneratorJob.buildTopology(env, cfg, new CollectingSink());
        env.execute("generator paced test");
        long end = System.currentTimeMillis();
        assertThat(SINK).hasSize(1_500);
        assertThat(SINK).allSatisfy(r -> assertThat(r.timestampMillis).isLessThanOrEqualTo(end));
        assertThat(SINK.stream().mapToLong(r -> r.timestampMillis).min().orElseThrow()).isGreaterThanOrEqualTo(now - 31_000);
    }

    @Test
    void argumentsMapToTheConfig() {
        long now = 1_800_000_000_500L;
        GeneratorConfig cfg = GeneratorJob.parseArgs(new String[] {"--seed", "7", "--rate", "5000", "--traces-per-second", "50",
            "--start", "2026-03-01T00:00:00Z", "--anomalies", "false", "--malformed-rate", "0.001"}, now);
        assertThat(cfg.seed).isEqualTo(7);
        assertThat(cfg.maxRecordsPerSecond).isEqualTo(5000);
        assertThat(cfg.tracesPerSecond).isEqualTo(50);
        assertThat(cfg.startMillis).isEqualTo(java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        assertThat(cfg.wallClockStartMillis).isEqualTo(now);
        assertThat(cfg.anomalies).isEmpty();
        assertThat(cfg.malformedRate).isEqualTo(0.001);
        assertThat(GeneratorJob.parseArgs(new String[0], now).startMillis).isEqualTo(1_800_000_000_000L);
    }

    @Test
    void serializerRoutesByTopicWithKeyAndEventTime() {
        GeneratedRecord r = new GeneratedRecord("telemetry_records", new byte[] {1}, new byte[] {2, 3}, 1234L);
        ProducerRecord<byte[], byte[]> p = new GeneratedRecordSerializationSchema().serialize(r, null, 99L);
        assertThat(p.topic()).isEqualTo("telemetry_records");
        assertThat(p.key()).containsExactly(1);
        assertThat(p.value()).containsExactly(2, 3);
        assertThat(p.timestamp()).isEqualTo(1234L);
        assertThat(p.partition()).isNull();
    }
}
