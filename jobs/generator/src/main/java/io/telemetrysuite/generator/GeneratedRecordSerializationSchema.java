package io.telemetrysuite.generator;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends each generated record to its own topic, with its key and its event time as the Kafka timestamp. */
public final class GeneratedRecordSerializationSchema implements KafkaRecordSerializationSchema<GeneratedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(GeneratedRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(record.topic, null, record.timestampMillis, record.key, record.value);
    }
}
