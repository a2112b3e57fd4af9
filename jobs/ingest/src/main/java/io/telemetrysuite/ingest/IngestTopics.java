package io.telemetrysuite.ingest;

import io.telemetrysuite.model.RawRecord;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kafka topics the ingest job reads and writes. Defaults follow the Collector's Kafka exporter for input. */
public class IngestTopics implements Serializable {
    private static final long serialVersionUID = 1L;

    // Input: the OpenTelemetry Collector's kafka exporter defaults, plus the suite's own records.
    public String otlpSpans = "otlp_spans";
    public String otlpMetrics = "otlp_metrics";
    public String otlpLogs = "otlp_logs";
    public String records = "telemetry_records";

    // Output: one topic per signal, JSON, written exactly once.
    public String spans = "ingest-spans";
    public String metrics = "ingest-metrics";
    public String logs = "ingest-logs";
    public String workload = "ingest-workload";
    public String system = "ingest-system";
    public String inference = "ingest-inference";
    public String deadLetter = "ingest-dead-letter";

    public IngestTopics() {}

    /** The same topics with {@code prefix} in front of every name: several pipelines (or tests) on one broker. */
    public IngestTopics withPrefix(String prefix) {
        IngestTopics t = new IngestTopics();
        t.otlpSpans = prefix + otlpSpans;
        t.otlpMetrics = prefix + otlpMetrics;
        t.otlpLogs = prefix + otlpLogs;
        t.records = prefix + records;
        t.spans = prefix + spans;
        t.metrics = prefix + metrics;
        t.logs = prefix + logs;
        t.workload = prefix + workload;
        t.system = prefix + system;
        t.inference = prefix + inference;
        t.deadLetter = prefix + deadLetter;
        return t;
    }

    public List<String> inputs() {
        return List.of(otlpSpans, otlpMetrics, otlpLogs, records);
    }

    public List<String> outputs() {
        return List.of(spans, metrics, logs, workload, system, inference, deadLetter);
    }

    /** What each input topic carries; JSON payloads are recognised on any topic by their first byte. */
    public Map<String, String> encodingByTopic() {
        Map<String, String> encodings = new LinkedHashMap<>();
        encodings.put(otlpSpans, RawRecord.Encoding.OTLP_PROTO_TRACES);
        encodings.put(otlpMetrics, RawRecord.Encoding.OTLP_PROTO_METRICS);
        encodings.put(otlpLogs, RawRecord.Encoding.OTLP_PROTO_LOGS);
        encodings.put(records, RawRecord.Encoding.JSON);
        return encodings;
    }
}
