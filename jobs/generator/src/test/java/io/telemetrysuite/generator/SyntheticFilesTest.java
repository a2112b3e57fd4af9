package io.telemetrysuite.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrysuite.json.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFilesTest {

    @Test
    void protobufFilesHoldOneExportRequestEach(@TempDir Path dir) throws Exception {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.malformedRate = 0;
        GenerationStats stats = SyntheticFiles.writeFiles(dir, cfg, 20_000, SyntheticFiles.OtlpFormat.PROTOBUF);
        List<Path> spanFiles;
        try (Stream<Path> files = Files.list(dir)) {
            spanFiles = files.filter(p -> p.getFileName().toString().matches("otlp_spans-\\d{6}\\.pb")).collect(Collectors.toList());
        }
        long spans = 0;
        for (Path p : spanFiles) {
            ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(Files.readAllBytes(p));
            spans += req.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream()).mapToLong(s -> s.getSpansCount()).sum();
            // A request is stamped with its latest span end: slow calls near the end run past the 20 s.
            assertThat(Files.getLastModifiedTime(p).toMillis()).isBetween(cfg.startMillis, cfg.startMillis + 80_000);
        }
        assertThat(spans).isEqualTo(stats.spans);
        assertThat((long) spanFiles.size()).isEqualTo(stats.messages("otlp_spans"));
        List<String> records = Files.readAllLines(dir.resolve(SyntheticFiles.RECORDS_FILE));
        assertThat((long) records.size()).isEqualTo(stats.messages("telemetry_records"));
        assertThat(records).allMatch(l -> l.startsWith("{\"signal\":\""));
    }

    @Test
    void jsonLinesFollowTheCollectorFileExporterFormat(@TempDir Path dir) throws Exception {
        GeneratorConfig cfg = new GeneratorConfig();
        cfg.malformedRate = 0.01;
        GenerationStats stats = SyntheticFiles.writeFiles(dir, cfg, 10_000, SyntheticFiles.OtlpFormat.JSON);
        List<String> lines = Files.readAllLines(dir.resolve("otlp_spans.jsonl"));
        long spans = 0;
        boolean sawKind = false;
        for (String line : lines) {
            JsonNode req = EventJson.mapper().readTree(line);
            for (JsonNode rs : req.get("resourceSpans")) {
                for (JsonNode ss : rs.get("scopeSpans")) {
                    for (JsonNode span : ss.get("spans")) {
                        spans++;
                        assertThat(span.get("traceId").asText()).matches("[0-9a-f]*");
                        assertThat(span.get("spanId").asText()).matches("[0-9a-f]*");
                        if (span.has("parentSpanId")) assertThat(span.get("parentSpanId").asText()).matches("[0-9a-f]{16}");
                        assertThat(span.get("kind").isInt()).isTrue();
                        sawKind = true;
                        assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
                        assertThat(span.get("startTimeUnixNano").asText()).matches("\\d{19}");
                    }
                }
            }
        }
        assertThat(sawKind).isTrue();
        // Malformed spans that still decode (bad ids, times, resource) are JSON lines too.
        long decodableMalformed = stats.malformed.entrySet().stream()
                .filter(e -> e.getKey() != MalformedKind.TRUNCATED_PROTOBUF && e.getKey() != MalformedKind.GARBAGE_BYTES
                        && e.getKey() != MalformedKind.INVALID_JSON && e.getKey() != MalformedKind.WRONG_SHAPE_JSON)
                .mapToLong(e -> e.getValue()).sum();
        assertThat(spans).isEqualTo(stats.spans + decodableMalformed);
        String first = lines.get(0);
        assertThat(first).doesNotContain("\n").contains("\"traceId\":\"");
        assertThat(EventJson.mapper().readTree(first).at("/resourceSpans/0/scopeSpans/0/spans/0/traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(Files.readAllLines(dir.resolve("otlp_logs.jsonl"))).isNotEmpty()
                .allSatisfy(l -> assertThat(EventJson.mapper().readTree(l).at("/resourceLogs/0/scopeLogs/0/logRecords/0/traceId").asText()).matches("[0-9a-f]{32}"));
        assertThat(Files.readAllLines(dir.resolve("otlp_metrics.jsonl"))).isNotEmpty();
    }
}
