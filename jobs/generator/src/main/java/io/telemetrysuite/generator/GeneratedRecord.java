package io.telemetrysuite.generator;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka message the synthetic workload produces: the topic it belongs to, its key and value bytes
 * and its timestamp. A Flink POJO (public fields, no-argument constructor), so it travels between
 * operators without Kryo.
 */
public class GeneratedRecord {
    /** The Kafka topic, e.g. {@code otlp_spans} or {@code telemetry_records}. */
    public String topic;
    /** The Kafka key, or {@code null} for none (the Collector's exporter sends OTLP without a key). */
    public byte[] key;
    /** The message: an OTLP protobuf export request, or one suite record as JSON. */
    public byte[] value;
    /** The record's Kafka timestamp (epoch ms, event time). */
    public long timestampMillis;
    /**
     * The {@link MalformedKind} name when the record was deliberately broken, else empty. Never written
     * to Kafka: it lets tests and benchmarks tell the dead-letter trickle from valid traffic.
     */
    public String malformedKind = "";

    public GeneratedRecord() {}

    public GeneratedRecord(String topic, byte[] key, byte[] value, long timestampMillis) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestampMillis = timestampMillis;
    }

    public boolean isMalformed() {
        return malformedKind != null && !malformedKind.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GeneratedRecord)) return false;
        GeneratedRecord r = (GeneratedRecord) o;
        return timestampMillis == r.timestampMillis && Objects.equals(topic, r.topic)
                && Arrays.equals(key, r.key) && Arrays.equals(value, r.value)
                && Objects.equals(malformedKind, r.malformedKind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, timestampMillis, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "GeneratedRecord{" + topic + " " + value.length + "B @" + timestampMillis
                + (isMalformed() ? " malformed=" + malformedKind : "") + "}";
    }
}
