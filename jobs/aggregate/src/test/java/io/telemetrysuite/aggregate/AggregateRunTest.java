package io.telemetrysuite.aggregate;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.testing.OtlpFixtures.MILLI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.records.SuiteRecordDecoder;
import io.telemetrysuite.testing.ModelFixtures;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./telemetry run aggregate}: the files it writes and their field names, a contract. */
class AggregateRunTest {
    @TempDir Path dir;

    @Test
    void writesOneLinePerResolutionWindowAndKeyWithTheContractFields() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        StringBuilder traces = new StringBuilder();
        int spans = 0;
        for (int t = 1; t <= 20; t++) {
            List<SpanData> trace = OtlpFixtures.checkoutTrace(t, BASE_EPOCH_NANOS + t * 1000 * MILLI, t % 5 == 0);
            spans += trace.size();
            traces.append(OtlpFixtures.traceRequestJson(trace)).append('\n');
        }
        Files.writeString(input.resolve("traces.jsonl"), traces);
        long ms = BASE_EPOCH_NANOS / MILLI;
        StringBuilder records = new StringBuilder();
        WorkloadRecord workload = ModelFixtures.workload();
        workload.timestampMillis = ms + 2_000;
        SystemSample system = ModelFixtures.system();
        system.timestampMillis = ms + 3_000;
        InferenceSample inference = ModelFixtures.inference();
        inference.timestampMillis = ms + 4_000;
        for (Object r : List.of(workload, system, inference)) records.append(SuiteRecordDecoder.encode(r)).append('\n');
        Files.writeString(input.resolve("records.jsonl"), records);

        Path out = dir.resolve("out");
        long late = AggregateRun.run(List.of(input), out, null, 2);

        assertThat(late).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(AggregateRun.AGGREGATES))) lines.add(EventJson.mapper().readTree(line));
        assertThat(lines).isNotEmpty().allSatisfy(a -> assertThat(a.fieldNames()).toIterable().contains(
                "resolution", "windowStart", "windowEnd", "signal", "serviceName", "spanName", "tenant", "host", "model",
                "count", "errorCount", "p50Ms", "p90Ms", "p95Ms", "p99Ms", "maxMs", "update"));
        assertThat(lines).extracting(a -> a.get("resolution").asText()).containsOnly("10s", "1m", "5m", "1h");
        assertThat(lines).extracting(a -> a.get("signal").asText()).contains("span", "workload", "system", "inference");
        for (String resolution : List.of("10s", "1m", "5m", "1h")) {
            double spanCount = lines.stream().filter(a -> a.get("resolution").asText().equals(resolution) && a.get("signal").asText().equals("span"))
                    .mapToDouble(a -> a.get("count").asDouble()).sum();
            assertThat(spanCount).as(resolution).isEqualTo(spans);
        }
        assertThat(Files.readAllLines(out.resolve(AggregateRun.DEAD_LETTER))).isEmpty();
    }
}
