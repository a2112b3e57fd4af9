package io.telemetrysuite.ingest.sink;

import io.telemetrysuite.json.EventJson;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an event as its JSON form ({@link EventJson}) to one topic, keyed so that what belongs
 * together lands in one partition (spans by trace id, so the trace job reads whole traces in order).
 */
public class EventKafkaSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    @Nullable private final SerializableFunction<T, String> key;

    public EventKafkaSerializer(String topic, @Nullable SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T event, KafkaSinkContext context, Long timestamp) {
        String k = key == null ? null : key.apply(event);
        return new ProducerRecord<>(topic, null, timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8), EventJson.toBytes(event));
    }
}
