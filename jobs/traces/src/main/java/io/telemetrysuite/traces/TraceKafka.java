package io.telemetrysuite.traces;

import io.telemetrysuite.ingest.sink.ExactlyOnceKafka;
import io.telemetrysuite.ingest.source.EventJsonDeserializer;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The trace job's Kafka ends: ingest's spans topic in ({@code read_committed}), traces and summaries out, keyed by trace id. */
public final class TraceKafka {
    public static final String TRACES_TOPIC = "traces";
    public static final String SUMMARIES_TOPIC = "trace-summaries";

    private TraceKafka() {}

    /**
     * Ingest's spans, with event time and watermarks from {@code watermarks} applied inside the source,
     * per partition: a partition read ahead of another cannot make the other's spans late.
     */
    public static DataStream<Span> spans(StreamExecutionEnvironment env, String bootstrapServers, String topic, String group, boolean bounded,
                                         WatermarkStrategy<Span> watermarks) {
        KafkaSourceBuilder<Span> builder = KafkaSource.<Span>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new EventJsonDeserializer<>(Span.class))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (bounded) builder.setBounded(OffsetsInitializer.latest());
        return env.fromSource(builder.build(), watermarks, "Kafka: " + topic).uid("traces-source-spans");
    }

    /** Keyed by trace id, so a trace and its late fragments land in one partition, in order. */
    public static KafkaSink<Trace> tracesSink(String bootstrapServers, String topic, String transactionalIdPrefix, Duration timeout) {
        return ExactlyOnceKafka.sink(bootstrapServers, topic, transactionalIdPrefix, timeout, t -> t.traceId);
    }
}
