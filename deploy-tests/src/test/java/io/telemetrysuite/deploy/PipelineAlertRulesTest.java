package io.telemetrysuite.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.telemetrysuite.services.RepoLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus/ checked by promtool: the alerting rules parse, the server configuration that
 * loads them is valid, and the rules' unit tests (pipeline-alerts.test.yml) pass; every alert has one.
 */
class PipelineAlertRulesTest {
    private static final Path DIR = RepoLayout.root().resolve("deploy/prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void rulesParse() {
        Promtool.Result result = Promtool.run(DIR, "check", "rules", "pipeline-alerts.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alertNames().size() + " rules found");
    }

    @Test
    void prometheusConfigLoadsTheRulesAndRoutesToAlertmanager() throws IOException {
        Promtool.Result result = Promtool.run(DIR, "check", "config", "prometheus.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");

        JsonNode config = YAML.readTree(DIR.resolve("prometheus.yml").toFile());
        assertThat(config.path("rule_files").get(0).asText()).isEqualTo("pipeline-alerts.yml");
        assertThat(config.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:9093");
    }

    @Test
    void rulesUnitTestsPass() {
        Promtool.Result result = Promtool.run(DIR, "test", "rules", "pipeline-alerts.test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        Set<String> tested = new TreeSet<>();
        for (JsonNode test : YAML.readTree(DIR.resolve("pipeline-alerts.test.yml").toFile()).path("tests")) {
            for (JsonNode alertTest : test.path("alert_rule_test")) {
                // Only a case that expects the alert proves the rule can fire.
                if (alertTest.path("exp_alerts").size() > 0) tested.add(alertTest.path("alertname").asText());
            }
        }
        assertThat(tested).isEqualTo(alertNames());
    }

    /** The rule unit tests catch a threshold changed in the rules: a copy with a higher one fails them. */
    @Test
    void unitTestsFailWhenAThresholdMoves(@TempDir Path dir) throws IOException {
        String rules = Files.readString(DIR.resolve("pipeline-alerts.yml"));
        assertThat(rules).contains("> 0.05");
        Files.writeString(dir.resolve("pipeline-alerts.yml"), rules.replace("> 0.05", "> 0.5"));
        Files.copy(DIR.resolve("pipeline-alerts.test.yml"), dir.resolve("pipeline-alerts.test.yml"));

        Promtool.Result result = Promtool.run(dir, "test", "rules", "pipeline-alerts.test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alertname: DeadLetterRateHigh");
    }

    static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        try {
            for (JsonNode group : YAML.readTree(DIR.resolve("pipeline-alerts.yml").toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) names.add(rule.path("alert").asText());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }
}
