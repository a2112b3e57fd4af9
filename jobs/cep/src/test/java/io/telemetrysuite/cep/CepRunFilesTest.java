package io.telemetrysuite.cep;

import static io.telemetrysuite.cep.CepFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.json.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run cep} from files to {@code alerts.jsonl}: a rule folder in YAML, the suite's JSON records
 * (out of order), the exact alert lines; and an invalid rule folder refused before anything runs.
 */
class CepRunFilesTest {
    private static final String RULES = """
            rules:
              - id: cpu-high
                kind: threshold
                severity: critical
                match: {signal: system}
                by: [host.name]
                labels: {team: platform}
                annotations: {summary: "CPU on {{host.name}} above 80%"}
                condition: {field: cpuPercent, op: ">", value: 80}
                for: 1m
              - id: host-silent
                kind: absence
                severity: warning
                match: {signal: system}
                by: [host.name]
                for: 30s
            """;

    @Test
    void rulesFolderAndRecordFilesInExactAlertLinesOut(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("hosts.yaml"), RULES);
        List<String> lines = new ArrayList<>();
        for (long s = 0; s <= 200; s += 10) {
            lines.add(system("h1", s, s >= 50 && s <= 150 ? 95 : 20)); // held 50..150: fires at 110, resolved at 160
            if (s <= 60 || s >= 120) lines.add(system("h2", s, 20));   // silent 60..120: fires at 90, resolved at 120
        }
        Collections.shuffle(lines, new java.util.Random(3)); // files need not be in time order
        Path input = dir.resolve("records.jsonl");
        Files.write(input, lines);

        long count = CepRun.run(rules, List.of(input), dir.resolve("out"), null, 2);

        List<String> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out").resolve(CepRun.ALERTS))) {
            JsonNode a = EventJson.mapper().readTree(line);
            alerts.add(a.get("ruleId").asText() + " " + a.get("severity").asText() + " " + a.get("status").asText() + " "
                    + a.get("labels") + " +" + (a.get("eventTime").asLong() - T0) / 1000 + "s");
        }
        Collections.sort(alerts);
        assertThat(count).isEqualTo(alerts.size());
        assertThat(alerts).containsExactly(
                "cpu-high critical firing {\"host.name\":\"h1\",\"team\":\"platform\"} +110s",
                "cpu-high critical resolved {\"host.name\":\"h1\",\"team\":\"platform\"} +160s",
                // The end of the input (200 s): every heartbeat stops there.
                "host-silent warning firing {\"host.name\":\"h1\"} +230s",
                "host-silent warning firing {\"host.name\":\"h2\"} +230s",
                "host-silent warning firing {\"host.name\":\"h2\"} +90s",
                "host-silent warning resolved {\"host.name\":\"h2\"} +120s");
    }

    @Test
    void anInvalidRuleFolderIsRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("bad.yaml"), RULES.replace("for: 1m", "for: soon"));
        Path input = dir.resolve("records.jsonl");
        Files.write(input, List.of(system("h1", 0, 20)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CepRun.run(rules, List.of(input), dir.resolve("out"), null, 2))
                .hasMessageContaining("bad.yaml:10");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static String system(String host, long secondsAfterT0, double cpu) {
        return "{\"signal\":\"system\",\"timestampMillis\":" + (T0 + secondsAfterT0 * 1000) + ",\"host\":\"" + host
                + "\",\"cpuPercentPerCore\":[" + cpu + "," + cpu + "],\"memoryUsedBytes\":1,\"memoryTotalBytes\":2}";
    }
}
