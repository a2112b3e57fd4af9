package io.telemetrysuite.traces;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.traces.SdkTraces.MS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run traces} on OTLP protobuf files written by the OpenTelemetry SDK: the traces.jsonl contract. */
class TraceRunTest {
    @Test
    void writesOneLinePerTraceWithTheContractFields(@TempDir Path dir) throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        for (int n = 1; n <= 10; n++) {
            List<SpanData> trace = OtlpFixtures.checkoutTrace(n, BASE_EPOCH_NANOS + n * 1_000 * MS, n == 2);
            if (n == 4) trace = trace.stream().filter(s -> !s.getName().equals(SdkTraces.ROOT)).toList();
            Files.write(input.resolve("trace-" + n + ".pb"), OtlpFixtures.traceRequestProto(trace));
        }
        Path out = dir.resolve("out");
        TraceRun.run(List.of(input), out, null, 2, null);

        List<String> lines = Files.readAllLines(out.resolve(TraceRun.TRACES));
        assertThat(lines).hasSize(10);
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : lines) {
            JsonNode node = EventJson.mapper().readTree(line);
            byId.put(node.get("traceId").asText(), node);
            for (String field : List.of("traceId", "spanCount", "rootMissing", "durationNanos", "error", "sampled", "policy", "late", "criticalPath")) {
                assertThat(node.has(field)).as(field).isTrue();
            }
            assertThat(node.get("sampled").asBoolean()).isTrue();
            assertThat(node.get("policy").asText()).isEqualTo("always_sample");
            assertThat(node.get("late").asBoolean()).isFalse();
        }
        JsonNode first = byId.get(OtlpFixtures.traceId(1));
        assertThat(first.get("spanCount").asInt()).isEqualTo(6);
        assertThat(first.get("rootMissing").asBoolean()).isFalse();
        assertThat(first.get("durationNanos").asLong()).isEqualTo(120 * MS);
        assertThat(first.get("error").asBoolean()).isFalse();
        JsonNode section = first.get("criticalPath").get(6);
        assertThat(section.get("spanId").asText()).isEqualTo(OtlpFixtures.spanId(1, 6));
        assertThat(section.get("serviceName").asText()).isEqualTo("payment");
        assertThat(section.get("name").asText()).isEqualTo("POST /charge");
        assertThat(section.get("selfNanos").asLong()).isEqualTo(50 * MS);
        assertThat(first.get("criticalPath")).hasSize(11);

        assertThat(byId.get(OtlpFixtures.traceId(2)).get("error").asBoolean()).isTrue();
        JsonNode orphan = byId.get(OtlpFixtures.traceId(4));
        assertThat(orphan.get("spanCount").asInt()).isEqualTo(5);
        assertThat(orphan.get("rootMissing").asBoolean()).isTrue();
        assertThat(orphan.get("durationNanos").asLong()).isEqualTo(110 * MS);

        // Every trace's requests, one line per edge: trace 4 has no root, so no user -> frontend request;
        // trace 2 fails in payment and every span above it on the way up.
        List<String> edges = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(TraceRun.SERVICE_GRAPH))) {
            JsonNode edge = EventJson.mapper().readTree(line);
            edges.add(edge.get("client").asText() + " -> " + edge.get("server").asText() + " " + edge.get("connectionType").asText()
                    + " requests=" + edge.get("requests").asLong() + " failed=" + edge.get("failed").asLong());
        }
        assertThat(edges).containsExactlyInAnyOrder(
                "user -> frontend virtual_node requests=9 failed=1",
                "frontend -> checkout  requests=10 failed=1",
                "checkout -> payment  requests=10 failed=1",
                "checkout -> unknown virtual_node requests=10 failed=0");
    }

    @Test
    void withTheDeployedTailSamplingConfigEachTraceRecordsThePolicyThatKeptIt(@TempDir Path dir) throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        for (int n = 1; n <= 4; n++) {
            Files.write(input.resolve("trace-" + n + ".pb"),
                    OtlpFixtures.traceRequestProto(OtlpFixtures.checkoutTrace(n, BASE_EPOCH_NANOS + n * 1_000 * MS, n == 3)));
        }
        Path out = dir.resolve("out");
        TraceRun.run(List.of(input), out, Path.of("../../deploy/config/tail-sampling.yaml"), 2, null);

        Map<String, String> policyById = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve(TraceRun.TRACES))) {
            JsonNode node = EventJson.mapper().readTree(line);
            assertThat(node.get("sampled").asBoolean()).isTrue();
            policyById.put(node.get("traceId").asText(), node.get("policy").asText());
        }
        // The failing trace is kept by the first policy, "errors"; the others by their /api/checkout server span's route.
        assertThat(policyById).containsOnly(
                Map.entry(OtlpFixtures.traceId(1), "checkout-and-login"), Map.entry(OtlpFixtures.traceId(2), "checkout-and-login"),
                Map.entry(OtlpFixtures.traceId(3), "errors"), Map.entry(OtlpFixtures.traceId(4), "checkout-and-login"));
    }
}
