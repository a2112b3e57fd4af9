package io.telemetrysuite.ingest;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.testing.OtlpFixtures.MILLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.testing.OtlpFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ./telemetry run ingest}: the files it writes, their fields, and that nothing is lost. */
class IngestRunTest {
    private static final long NOW_NANOS = System.currentTimeMillis() * MILLI;
    private static final String GOOD_TRACE = "5b8efff798038103d269b633813fc60c";

    @TempDir Path dir;

    @Test
    void sdkMadeSpansComeOutOnceEachWithTheirIdsInBothEncodings() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        List<SpanData> jsonSpans = new ArrayList<>();
        StringBuilder jsonLines = new StringBuilder();
        for (int t = 1; t <= 20; t++) {
            List<SpanData> trace = OtlpFixtures.checkoutTrace(t, BASE_EPOCH_NANOS + t * 1000 * MILLI, t % 5 == 0);
            jsonSpans.addAll(trace);
            jsonLines.append(OtlpFixtures.traceRequestJson(trace)).append('\n');
        }
        Files.writeString(input.resolve("traces.jsonl"), jsonLines);
        List<SpanData> protoSpans = new ArrayList<>();
        for (int t = 101; t <= 110; t++) {
            List<SpanData> trace = OtlpFixtures.checkoutTrace(t, BASE_EPOCH_NANOS + t * 1000 * MILLI, false);
            protoSpans.addAll(trace);
            Files.write(input.resolve("batch-" + t + ".pb"), OtlpFixtures.traceRequestProto(trace));
        }

        Path out = dir.resolve("out");
        Map<String, Object> counters = IngestRun.run(List.of(input), out, null, 2);

        List<Span> spans = read(out.resolve(IngestRun.SPANS), Span.class);
        assertThat(spans).hasSize(jsonSpans.size() + protoSpans.size());
        Map<String, SpanData> expected = new HashMap<>();
        for (SpanData s : jsonSpans) expected.put(s.getSpanId(), s);
        for (SpanData s : protoSpans) expected.put(s.getSpanId(), s);
        for (Span span : spans) {
            SpanData sdk = expected.remove(span.spanId);
            assertThat(sdk).as("span %s appears once and was fed in", span.spanId).isNotNull();
            assertThat(span.traceId).isEqualTo(sdk.getTraceId());
            assertThat(span.parentSpanId).isEqualTo(sdk.getParentSpanContext().isValid() ? sdk.getParentSpanId() : "");
            assertThat(span.name).isEqualTo(sdk.getName());
            assertThat(span.kind).isEqualTo(sdk.getKind().name());
            assertThat(span.startTimeUnixNano).isEqualTo(sdk.getStartEpochNanos());
            assertThat(span.endTimeUnixNano).isEqualTo(sdk.getEndEpochNanos());
            assertThat(span.statusCode).isEqualTo(sdk.getStatus().getStatusCode().name());
            assertThat(span.serviceName).isEqualTo(sdk.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")));
        }
        assertThat(expected).isEmpty();
        assertThat(Files.readAllLines(out.resolve(IngestRun.DEAD_LETTER))).isEmpty();
        assertThat(counters).containsEntry("received", (long) spans.size()).containsEntry("accepted", (long) spans.size())
                .containsEntry("sampledOut", 0L).containsEntry("deadLettered", 0L);

        // The fields the contract names, spelled as the contract spells them.
        JsonNode line = EventJson.mapper().readTree(Files.readAllLines(out.resolve(IngestRun.SPANS)).get(0));
        for (String field : List.of("traceId", "spanId", "parentSpanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano",
                "statusCode", "serviceName", "attributes")) {
            assertThat(line.has(field)).as(field).isTrue();
        }
        assertThat(line.get("attributes").isObject()).isTrue();
        JsonNode written = EventJson.mapper().readTree(out.resolve(IngestRun.COUNTERS).toFile());
        for (String field : List.of("received", "accepted", "sampledOut", "deadLettered")) {
            assertThat(written.get(field).asLong()).isEqualTo(((Number) counters.get(field)).longValue());
        }
    }

    @Test
    void everyKindOfMalformedInputLandsInDeadLetterWithItsOwnReasonAndNothingElseIsLost() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        String bigValue = "x".repeat(20_000);
        List<String> lines = List.of(
                "{not json",                                                                              // 1
                "{\"resourceSpans\": 5}",                                                                 // 2
                traceLine("checkout", span("zz" + GOOD_TRACE.substring(2), "1111111111111111", NOW_NANOS, "")),  // 3 non-hex id
                traceLine(null, span(GOOD_TRACE, "2222222222222222", NOW_NANOS, "")),                      // 4 no service.name
                traceLine("checkout", span(GOOD_TRACE, "3333333333333333", NOW_NANOS + 7_200_000 * MILLI, "")), // 5 far future
                traceLine("checkout", span(GOOD_TRACE, "4444444444444444", NOW_NANOS,                      // 6 oversized value
                        ",{\"key\":\"note\",\"value\":{\"stringValue\":\"" + bigValue + "\"}}")),
                traceLine("checkout", span(GOOD_TRACE.substring(2), "5555555555555555", NOW_NANOS, ""),    // 7 short id, and a good neighbour
                        span(GOOD_TRACE, "6666666666666666", NOW_NANOS, "")),
                traceLine("checkout", span(GOOD_TRACE, "7777777777777777", 0, "")),                         // 8 no timestamp
                "{\"signal\":\"workload\",\"tenant\":\"acme\",\"timestampMillis\":\"yesterday\"}",        // 9 wrong type
                "",                                                                                       // 10 blank: skipped
                traceLine("checkout", span(GOOD_TRACE, "8888888888888888", NOW_NANOS, "")));             // 11 good
        Files.write(input.resolve("mixed.jsonl"), lines);
        byte[] proto = OtlpFixtures.traceRequestProto(OtlpFixtures.checkoutTrace(1, BASE_EPOCH_NANOS, false));
        Files.write(input.resolve("truncated.pb"), Arrays.copyOf(proto, proto.length / 3));

        Path out = dir.resolve("out");
        Map<String, Object> counters = IngestRun.run(List.of(input), out, null, 2);

        List<DeadLetter> deadLetters = read(out.resolve(IngestRun.DEAD_LETTER), DeadLetter.class);
        Map<String, String> reasonBySource = deadLetters.stream()
                .collect(Collectors.toMap(d -> d.source.substring(d.source.lastIndexOf('/') + 1), d -> d.reason));
        assertThat(reasonBySource).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mixed.jsonl:1", DeadLetterReason.INVALID_JSON,
                "mixed.jsonl:2", DeadLetterReason.WRONG_SHAPE,
                "mixed.jsonl:3", DeadLetterReason.INVALID_TRACE_ID,
                "mixed.jsonl:4", DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE,
                "mixed.jsonl:5", DeadLetterReason.TIMESTAMP_IN_FUTURE,
                "mixed.jsonl:6", DeadLetterReason.ATTRIBUTE_TOO_LARGE,
                "mixed.jsonl:7", DeadLetterReason.INVALID_TRACE_ID,
                "mixed.jsonl:8", DeadLetterReason.MISSING_TIMESTAMP,
                "mixed.jsonl:9", DeadLetterReason.WRONG_SHAPE,
                "truncated.pb@0", DeadLetterReason.UNDECODABLE_PROTOBUF));
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.message).isNotBlank();
            assertThat(d.raw).isNotEmpty();
        });
        assertThat(deadLetters).filteredOn(d -> d.reason.equals(DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE))
                .singleElement().satisfies(d -> assertThat(d.message).contains("service.name"));

        List<Span> spans = read(out.resolve(IngestRun.SPANS), Span.class);
        assertThat(spans).extracting(s -> s.spanId).containsExactlyInAnyOrder("6666666666666666", "8888888888888888");
        assertThat(counters).containsEntry("received", 12L).containsEntry("accepted", 2L)
                .containsEntry("sampledOut", 0L).containsEntry("deadLettered", 10L);
        @SuppressWarnings("unchecked")
        Map<String, Long> byReason = (Map<String, Long>) counters.get("deadLetteredByReason");
        assertThat(byReason.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10L);
    }

    @ParameterizedTest(name = "sampling {0}")
    @ValueSource(booleans = {false, true})
    void noRawValueThePolicyRedactsReachesAnyOutput(boolean sampling) throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        String email = "alice.smith@example.com";
        String clientIp = "203.0.113.77";
        String card = "4111 1111 1111 1111";
        String userId = "user-8c1e4f";
        String secret = "Bearer s3cr3t-t0k3n";
        String spanAttributes = ",{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"" + userId + "\"}}"
                + ",{\"key\":\"client.address\",\"value\":{\"stringValue\":\"" + clientIp + "\"}}"
                + ",{\"key\":\"http.request.header.authorization\",\"value\":{\"stringValue\":\"" + secret + "\"}}"
                + ",{\"key\":\"note\",\"value\":{\"stringValue\":\"paid with " + card + " by " + email + "\"}}";
        long ms = System.currentTimeMillis();
        List<String> lines = List.of(
                traceLine("checkout", span(GOOD_TRACE, "1111111111111111", NOW_NANOS, spanAttributes)),
                // Rejected items are redacted too: no service.name, and a short trace id.
                traceLine(null, span(GOOD_TRACE, "2222222222222222", NOW_NANOS, spanAttributes)),
                traceLine("checkout", span(GOOD_TRACE.substring(4), "3333333333333333", NOW_NANOS, spanAttributes)),
                "{\"signal\":\"workload\",\"timestampMillis\":" + ms + ",\"tenant\":\"acme\",\"user\":\"" + userId
                        + "\",\"requestId\":\"r1\",\"errorMessage\":\"card " + card + " declined for " + email + "\"}",
                // Bytes that do not parse: the patterns are masked in the dead letter's raw bytes.
                "{broken json from " + email + " at " + clientIp);
        Files.write(input.resolve("pii.jsonl"), lines);

        Path out = dir.resolve("out");
        // With sampling on, kept spans are mapped and redacted after the sampler: a second path to check.
        Path config = dir.resolve("ingest.yaml");
        Files.writeString(config, "sampling: {enabled: " + sampling + ", spansPerSecondPerService: 1000000}\n");
        IngestRun.run(List.of(input), out, config, 1);

        StringBuilder everything = new StringBuilder();
        try (var files = Files.list(out)) {
            for (Path file : files.toList()) everything.append(Files.readString(file)).append('\n');
        }
        // Dead letters carry bytes as base64: decode them, or the scan would prove nothing.
        for (DeadLetter d : read(out.resolve(IngestRun.DEAD_LETTER), DeadLetter.class)) {
            everything.append(new String(d.raw, StandardCharsets.UTF_8)).append('\n');
        }
        assertThat(read(out.resolve(IngestRun.DEAD_LETTER), DeadLetter.class)).hasSize(3);
        assertThat(read(out.resolve(IngestRun.SPANS), Span.class)).hasSize(1);
        for (String raw : Set.of(email, clientIp, card, userId, secret, "s3cr3t")) {
            assertThat(everything.toString()).as("output contains %s", raw).doesNotContain(raw);
        }
        Span kept = read(out.resolve(IngestRun.SPANS), Span.class).get(0);
        assertThat(kept.attributes.get("enduser.id")).startsWith("hmac:");
        assertThat(kept.attributes).doesNotContainKey("http.request.header.authorization");
    }

    @Test
    void aMissingInputOrABadConfigIsRefusedWithWhereAndWhat() throws Exception {
        assertThatThrownBy(() -> IngestRun.run(List.of(dir.resolve("nope")), dir.resolve("out"), null, 1))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");

        Path config = dir.resolve("ingest.yaml");
        Files.writeString(config, "sampling:\n  enabled: true\n  spansPerSecond: 10\n");
        Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> IngestRun.run(List.of(dir.resolve("empty.jsonl")), dir.resolve("out"), config, 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.yaml:3:3")
                .hasMessageContaining("spansPerSecond");
    }

    // ---- OTLP JSON as the Collector's file exporter writes it (hex ids, enums as numbers)

    private static String traceLine(String service, String... spans) {
        String resource = service == null ? "{\"attributes\":[]}"
                : "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service + "\"}}]}";
        return "{\"resourceSpans\":[{\"resource\":" + resource + ",\"scopeSpans\":[{\"scope\":{\"name\":\"test\"},\"spans\":["
                + String.join(",", spans) + "]}]}]}";
    }

    private static String span(String traceId, String spanId, long startNanos, String extraAttributes) {
        return "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"name\":\"GET /items\",\"kind\":2,"
                + "\"startTimeUnixNano\":\"" + startNanos + "\",\"endTimeUnixNano\":\"" + (startNanos + 3 * MILLI) + "\","
                + "\"attributes\":[{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}}" + extraAttributes + "]}";
    }

    static <T> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(EventJson.fromLine(line, type));
        }
        return out;
    }
}
