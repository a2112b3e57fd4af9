package io.telemetrysuite.aggregate;

import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.ingest.IngestTopics;
import io.telemetrysuite.ingest.sink.ExactlyOnceKafka;
import io.telemetrysuite.ingest.source.EventJsonDeserializer;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.Forecast;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The aggregate job between Kafka topics: it reads what the ingest job committed (one topic per
 * signal, {@code read_committed}) and writes its windows to the {@code aggregates} topic, exactly once,
 * where the CEP job reads them.
 */
public final class AggregateKafka {
    public static final String AGGREGATES_TOPIC = "aggregates";
    public static final String FORECASTS_TOPIC = "forecasts";
    public static final String DEAD_LETTER_TOPIC = "aggregate-dead-letter";

    private AggregateKafka() {}

    /** Ingest's output topics as streams, with event time and watermarks from {@code watermarks}, per partition. */
    public static IngestStreams ingestTopics(StreamExecutionEnvironment env, String bootstrapServers, IngestTopics topics, String group,
                                             boolean bounded, SourceWatermarks watermarks) {
        return new IngestStreams(
                source(env, bootstrapServers, topics.spans, group, Span.class, bounded, watermarks),
                source(env, bootstrapServers, topics.metrics, group, MetricPoint.class, bounded, watermarks),
                source(env, bootstrapServers, topics.logs, group, LogRecord.class, bounded, watermarks),
                source(env, bootstrapServers, topics.workload, group, WorkloadRecord.class, bounded, watermarks),
                source(env, bootstrapServers, topics.system, group, SystemSample.class, bounded, watermarks),
                source(env, bootstrapServers, topics.inference, group, InferenceSample.class, bounded, watermarks),
                source(env, bootstrapServers, topics.deadLetter, group, DeadLetter.class, bounded, watermarks));
    }

    /** One topic of {@code type}, committed records only, event time per partition. */
    public static <T> DataStream<T> source(StreamExecutionEnvironment env, String bootstrapServers, String topic, String group,
                                           Class<T> type, boolean bounded, SourceWatermarks watermarks) {
        KafkaSourceBuilder<T> builder = KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new EventJsonDeserializer<>(type))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (bounded) builder.setBounded(OffsetsInitializer.latest());
        return env.fromSource(builder.build(), watermarks.of(type), "Kafka: " + topic).uid("aggregate-source-" + topic);
    }

    /** The aggregates topic, keyed by the aggregate's key so one key's windows stay in order in one partition. */
    public static KafkaSink<Aggregate> aggregatesSink(String bootstrapServers, String topic, String transactionalIdPrefix, Duration timeout) {
        return ExactlyOnceKafka.sink(bootstrapServers, topic, transactionalIdPrefix + "-aggregates", timeout, AggregateKey::of);
    }

    public static KafkaSink<Forecast> forecastsSink(String bootstrapServers, String topic, String transactionalIdPrefix, Duration timeout) {
        return ExactlyOnceKafka.sink(bootstrapServers, topic, transactionalIdPrefix + "-forecasts", timeout,
                f -> f.signal + "/" + f.serviceName + f.tenant + "/" + f.quantity);
    }

    public static KafkaSink<DeadLetter> deadLetterSink(String bootstrapServers, String topic, String transactionalIdPrefix, Duration timeout) {
        return ExactlyOnceKafka.sink(bootstrapServers, topic, transactionalIdPrefix + "-dead-letters", timeout, null);
    }
}
