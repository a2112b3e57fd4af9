package io.telemetrysuite.ingest.source;

import io.telemetrysuite.model.RawRecord;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each Kafka record's value, untouched, with its topic, partition and offset. Decoding happens
 * in the parse operator, so that bytes that do not decode become dead letters instead of failing the
 * source.
 */
public class KafkaRawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    /** Which encoding each topic carries; topics not named here are sniffed. */
    private final Map<String, String> encodingByTopic;

    public KafkaRawRecordDeserializer(Map<String, String> encodingByTopic) {
        this.encodingByTopic = Map.copyOf(encodingByTopic);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String encoding = encodingByTopic.getOrDefault(record.topic(), RawRecord.Encoding.AUTO);
        out.collect(new RawRecord(value, record.topic(), record.partition(), record.offset(), encoding, record.timestamp()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
