package io.telemetrysuite.generator;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the synthetic workload as the files the ingest job's file mode reads, for {@code run} and
 * benchmarks: OTLP either as {@code <topic>-NNNNNN.pb} (one protobuf export request per file, modified
 * at the request's timestamp) or as {@code <topic>.jsonl} (OTLP/JSON lines, see {@link OtlpJson}),
 * and the suite's records as {@code records.jsonl}, one JSON object per line. Topic names in file
 * names ({@code otlp_spans}, {@code otlp_metrics}, {@code otlp_logs}) say which signal a file holds.
 *
 * <p>Malformed records are written like the rest, so file mode exercises the dead-letter path too;
 * in JSON format the undecodable protobuf kinds (truncated, garbage) still go to {@code .pb} files,
 * since OTLP/JSON cannot express them.
 */
public final class SyntheticFiles {

    /** How OTLP export requests are written. */
    public enum OtlpFormat { PROTOBUF, JSON }

    public static final String RECORDS_FILE = "records.jsonl";

    private SyntheticFiles() {}

    /**
     * Generates {@code durationMillis} of event time from {@code cfg.startMillis} into {@code dir}
     * (created if missing) and returns what was generated.
     */
    public static GenerationStats writeFiles(Path dir, GeneratorConfig cfg, long durationMillis, OtlpFormat format)
            throws IOException {
        Files.createDirectories(dir);
        SyntheticWorkload workload = new SyntheticWorkload(cfg);
        Map<String, BufferedWriter> jsonl = new HashMap<>();
        int pbFiles = 0;
        try {
            for (long t = cfg.startMillis; t < cfg.startMillis + durationMillis; t += cfg.tickMillis) {
                for (GeneratedRecord rec : workload.tick(t)) {
                    if (rec.topic.equals(cfg.recordsTopic)) {
                        line(jsonl, dir, RECORDS_FILE, new String(rec.value, StandardCharsets.UTF_8));
                    } else if (format == OtlpFormat.PROTOBUF || undecodable(rec)) {
                        Path file = dir.resolve(String.format("%s-%06d.pb", rec.topic, ++pbFiles));
                        try (OutputStream os = Files.newOutputStream(file)) {
                            os.write(rec.value);
                        }
                        Files.setLastModifiedTime(file, FileTime.fromMillis(rec.timestampMillis));
                    } else {
                        line(jsonl, dir, rec.topic + ".jsonl", OtlpJson.toLine(parse(rec, cfg)));
                    }
                }
            }
        } finally {
            for (BufferedWriter w : jsonl.values()) w.close();
        }
        return workload.stats();
    }

    private static boolean undecodable(GeneratedRecord rec) {
        return MalformedKind.TRUNCATED_PROTOBUF.name().equals(rec.malformedKind)
                || MalformedKind.GARBAGE_BYTES.name().equals(rec.malformedKind);
    }

    private static com.google.protobuf.Message parse(GeneratedRecord rec, GeneratorConfig cfg) throws IOException {
        if (rec.topic.equals(cfg.spansTopic)) return ExportTraceServiceRequest.parseFrom(rec.value);
        if (rec.topic.equals(cfg.metricsTopic)) return ExportMetricsServiceRequest.parseFrom(rec.value);
        return ExportLogsServiceRequest.parseFrom(rec.value);
    }

    private static void line(Map<String, BufferedWriter> writers, Path dir, String name, String text) throws IOException {
        BufferedWriter w = writers.get(name);
        if (w == null) {
            w = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
            writers.put(name, w);
        }
        w.write(text);
        w.write('\n');
    }
}
