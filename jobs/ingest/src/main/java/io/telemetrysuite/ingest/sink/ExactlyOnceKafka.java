package io.telemetrysuite.ingest.sink;

import java.time.Duration;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;

/** The one way the suite's jobs write a topic: events as JSON, in Kafka transactions committed on checkpoints. */
public final class ExactlyOnceKafka {
    private ExactlyOnceKafka() {}

    /**
     * @param transactionalIdPrefix unique per sink and job on a cluster: two sinks sharing it would fence each other
     * @param transactionTimeout longer than a checkpoint plus a restart, within the broker's transaction.max.timeout.ms
     * @param key what keeps related events in one partition; null for no key
     */
    public static <T> KafkaSink<T> sink(String bootstrapServers, String topic, String transactionalIdPrefix, Duration transactionTimeout,
                                        @Nullable SerializableFunction<T, String> key) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        producer.setProperty("linger.ms", "5");
        producer.setProperty("compression.type", "lz4");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new EventKafkaSerializer<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
