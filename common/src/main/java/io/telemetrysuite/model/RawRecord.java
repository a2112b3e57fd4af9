package io.telemetrysuite.model;

/**
 * Bytes as a source delivered them, with where they came from. Sources emit these; parsing them is
 * the first operator's job, so that a record that does not parse still reaches the dead-letter stream.
 */
public class RawRecord {
    public byte[] payload;
    /** A file path or a Kafka topic. */
    public String origin;
    /** Kafka partition; -1 for files. */
    public int partition = -1;
    /** Kafka offset, or the 1-based line of a line-oriented file; 0 for a whole-file record. */
    public long position;
    /** What the origin says the bytes hold, from {@link Encoding}; parsing sniffs when AUTO. */
    public String encoding = Encoding.AUTO;
    /** Kafka record timestamp, or file modification time (epoch ms). */
    public long timestampMillis;

    public RawRecord() {}

    public RawRecord(byte[] payload, String origin, int partition, long position, String encoding, long timestampMillis) {
        this.payload = payload;
        this.origin = origin;
        this.partition = partition;
        this.position = position;
        this.encoding = encoding;
        this.timestampMillis = timestampMillis;
    }

    /** Where the record came from, the way dead letters and logs name it. */
    public String describeSource() {
        if (partition >= 0) return origin + "/" + partition + "/" + position;
        if (position > 0) return origin + ":" + position;
        return origin + "@0";
    }

    /** The values {@link #encoding} takes. */
    public static final class Encoding {
        /** JSON (first non-blank byte is '{') or else OTLP protobuf of the signal the origin implies. */
        public static final String AUTO = "auto";
        public static final String OTLP_PROTO_TRACES = "otlp_proto_traces";
        public static final String OTLP_PROTO_METRICS = "otlp_proto_metrics";
        public static final String OTLP_PROTO_LOGS = "otlp_proto_logs";
        /** One JSON object: an OTLP export request, or one of the suite's own records. */
        public static final String JSON = "json";

        private Encoding() {}
    }
}
