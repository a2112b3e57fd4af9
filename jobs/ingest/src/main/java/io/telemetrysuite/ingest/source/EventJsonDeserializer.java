package io.telemetrysuite.ingest.source;

import io.telemetrysuite.json.EventJson;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event model's JSON form ({@link EventJson}) from the topics the suite's jobs write to each
 * other. Those topics are written by the suite itself, exactly once, so a record that does not read
 * is a bug or a foreign producer: it is counted ({@code undecodableRecords}) and logged, not fatal.
 */
public class EventJsonDeserializer<T> implements KafkaRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventJsonDeserializer.class);

    private final Class<T> type;
    private transient Counter undecodable;

    public EventJsonDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        undecodable = context.getMetricGroup().counter("undecodableRecords");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (record.value() == null) return;
        try {
            out.collect(EventJson.fromBytes(record.value(), type));
        } catch (IOException e) {
            if (undecodable != null) undecodable.inc();
            LOG.warn("skipping {}/{}/{}: not a {} ({})", record.topic(), record.partition(), record.offset(), type.getSimpleName(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
