package io.telemetrysuite.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.generator.GeneratorConfig;
import io.telemetrysuite.generator.SyntheticFiles;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.services.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run cep} on files: the shipped {@code cep-rules/} over the demo's synthetic workload (20 minutes,
 * one cycle of its default anomalies), each anomaly found by its rule at the time it was injected.
 * Slow (minutes): run with {@code -Pslow} or {@code -Dgroups=slow}.
 */
class CepRunTest {
    private static final long START = GeneratorConfig.DEFAULT_START_MILLIS;

    @Test
    @Tag("slow")
    void theShippedRulesFindEveryInjectedAnomalyInTheSyntheticWorkload(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        // The default traffic: the latency-shift rule reads the fastest request of each one-second
        // histogram point, which is only stable with the demo's request rate (at a tenth of it the rule,
        // rightly, sees noise and stays quiet). About 1.5 GB of OTLP JSON: hence slow.
        GeneratorConfig generator = new GeneratorConfig();
        SyntheticFiles.writeFiles(input, generator, 1_200_000L, SyntheticFiles.OtlpFormat.JSON);
        Path output = dir.resolve("out");

        long count = CepRun.run(RuleLoader.load(RepoLayout.root().resolve("cep-rules")), List.of(input), output, null, 2);

        List<String> lines = Files.readAllLines(output.resolve(CepRun.ALERTS));
        assertThat(lines).hasSize((int) count);
        List<Alert> alerts = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = EventJson.mapper().readTree(line);
            // The contract's fields, by name, as other tools read them.
            assertThat(node.has("ruleId") && node.has("severity") && node.has("status") && node.get("labels").isObject()
                    && node.get("eventTime").isNumber()).as(line).isTrue();
            alerts.add(EventJson.mapper().treeToValue(node, Alert.class));
        }

        // CPU plateau on host-3 from 120 s: 2 minutes above 90% fire at 240 s (one 10 s sample of slack).
        assertThat(at(alerts, "host-cpu-plateau", Alert.FIRING, "host.name", "host-3")).singleElement()
                .satisfies(t -> assertThat(t).isBetween(240_000L, 250_000L));
        // Error burst on payment from 480 s for 30 s.
        assertThat(at(alerts, "payment-error-burst", Alert.FIRING, "service.name", "payment")).singleElement()
                .satisfies(t -> assertThat(t).isBetween(480_000L, 510_000L));
        // Heartbeat of host-5 stops at 600 s for 180 s: fires 30 s after its last sample, resolves when samples resume.
        assertThat(at(alerts, "host-heartbeat-stopped", Alert.FIRING, "host.name", "host-5")).first()
                .satisfies(t -> assertThat(t).isBetween(620_000L, 630_000L));
        assertThat(at(alerts, "host-heartbeat-stopped", Alert.RESOLVED, "host.name", "host-5")).singleElement()
                .satisfies(t -> assertThat(t).isBetween(780_000L, 790_000L));
        // Latency shift of /api/products from 840 s for 240 s.
        assertThat(at(alerts, "products-latency-shift", Alert.FIRING, "http.route", "/api/products")).first()
                .satisfies(t -> assertThat(t).isBetween(840_000L, 1_080_000L));
        // Failed logins of one user from 1110 s for 18 s (ingest's privacy policy hashes the user id: one user, whatever the hash).
        assertThat(alerts.stream().filter(a -> a.ruleId.equals("failed-logins-then-success")).map(a -> a.eventTime - START).toList())
                .singleElement()
                .satisfies(t -> assertThat(t).isBetween(1_110_000L, 1_140_000L));
    }

    /** Event times (ms after the workload's start) of the alerts of {@code rule} with that status and label. */
    private static List<Long> at(List<Alert> alerts, String rule, String status, String label, String value) {
        return alerts.stream()
                .filter(a -> a.ruleId.equals(rule) && a.status.equals(status) && value.equals(a.labels.get(label)))
                .map(a -> a.eventTime - START)
                .sorted()
                .toList();
    }
}
