package io.telemetrysuite.cep.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrysuite.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid rule files of every kind load into exactly the rules they say; several files are read in name order. */
class RuleLoaderTest {
    @TempDir Path dir;

    private static final String EVERY_KIND = """
            rules:
              - id: cpu-high
                kind: threshold
                severity: warning
                match: {signal: system}
                by: [host]
                labels: {team: infra}
                annotations: {summary: "CPU on {{host}} above 90% ({{team}})"}
                cooldown: 10m
                condition: {field: cpuPercent, op: ">", value: 90}
                for: 2m
              - id: error-burst
                kind: count
                severity: critical
                match: {signal: span, status: error, attributes: {service.name: payment}}
                by: [service.name]
                count: 20
                within: 30s
              - id: login-then-lockout
                kind: sequence
                severity: warning
                by: [user.id]
                steps:
                  - match: {signal: span, name: login, status: error}
                  - match: {signal: span, name: login}
                    condition: {field: durationMs, op: ">=", value: 500}
                within: 1m
                strict: true
              - id: heartbeat-stopped
                kind: absence
                severity: critical
                match: {signal: system}
                by: [host]
                for: 500ms
              - id: order-without-payment
                kind: absence
                severity: info
                after: {signal: workload, route: /api/checkout}
                expect: {signal: workload, route: /api/pay, statusCode: 2e2}
                within: 1h
              - id: products-latency
                kind: baseline
                severity: warning
                match: {signal: workload, route: /api/products}
                by: [route]
                field: durationMs
                baseline: 1h
                deviation: 3
                for: 1m
                minSamples: 50
            """;

    @Test
    void everyKindLoadsIntoExactlyTheRuleItDescribes() throws Exception {
        Path file = Files.writeString(dir.resolve("all.yaml"), EVERY_KIND);
        List<Rule> rules = RuleLoader.load(dir);

        Rule cpu = rule("cpu-high", RuleKind.THRESHOLD, Severity.WARNING);
        cpu.match = new EventMatch(Signal.SYSTEM, Map.of(), Map.of());
        cpu.by = List.of("host");
        cpu.labels = Map.of("team", "infra");
        cpu.annotations = Map.of("summary", "CPU on {{host}} above 90% ({{team}})");
        cpu.cooldown = Duration.ofMinutes(10);
        cpu.condition = new Condition("cpuPercent", Operator.GT, 90.0);
        cpu.forDuration = Duration.ofMinutes(2);

        Rule burst = rule("error-burst", RuleKind.COUNT, Severity.CRITICAL);
        burst.match = new EventMatch(Signal.SPAN, Map.of("status", "error"), Map.of("service.name", "payment"));
        burst.by = List.of("service.name");
        burst.count = 20;
        burst.within = Duration.ofSeconds(30);

        Rule sequence = rule("login-then-lockout", RuleKind.SEQUENCE, Severity.WARNING);
        sequence.by = List.of("user.id");
        sequence.steps = List.of(
                new SequenceStep(new EventMatch(Signal.SPAN, Map.of("name", "login", "status", "error"), Map.of()), null),
                new SequenceStep(new EventMatch(Signal.SPAN, Map.of("name", "login"), Map.of()),
                        new Condition("durationMs", Operator.GE, 500.0)));
        sequence.within = Duration.ofMinutes(1);
        sequence.strict = true;

        Rule heartbeat = rule("heartbeat-stopped", RuleKind.ABSENCE, Severity.CRITICAL);
        heartbeat.match = new EventMatch(Signal.SYSTEM, Map.of(), Map.of());
        heartbeat.by = List.of("host");
        heartbeat.forDuration = Duration.ofMillis(500);

        Rule followUp = rule("order-without-payment", RuleKind.ABSENCE, Severity.INFO);
        followUp.after = new EventMatch(Signal.WORKLOAD, Map.of("route", "/api/checkout"), Map.of());
        followUp.expect = new EventMatch(Signal.WORKLOAD, Map.of("route", "/api/pay", "statusCode", "200"), Map.of());
        followUp.within = Duration.ofHours(1);

        Rule latency = rule("products-latency", RuleKind.BASELINE, Severity.WARNING);
        latency.match = new EventMatch(Signal.WORKLOAD, Map.of("route", "/api/products"), Map.of());
        latency.by = List.of("route");
        latency.field = "durationMs";
        latency.baseline = Duration.ofHours(1);
        latency.deviation = 3;
        latency.forDuration = Duration.ofMinutes(1);
        latency.minSamples = 50;

        assertThat(rules).containsExactly(cpu, burst, sequence, heartbeat, followUp, latency);
        assertThat(rules).extracting(r -> r.sourceFile + ":" + r.sourceLine)
                .containsExactly(file + ":2", file + ":12", file + ":19", file + ":29", file + ":35", file + ":41");
        // equals ignores where a rule is written, so position checks above are the only ones that see it
        assertThat(rules.get(0).condition.value).isInstanceOf(Double.class);
    }

    @Test
    void defaultsAreZeroCooldownZeroForThirtySamplesAndNotStrict() {
        List<Rule> rules = RuleLoader.parse("d.yaml", """
                rules:
                  - {id: t, kind: threshold, severity: info, match: {signal: log}, condition: {field: severityText, op: "==", value: ERROR}}
                  - id: b
                    kind: baseline
                    severity: info
                    match: {signal: inference}
                    field: timeToFirstTokenMs
                    baseline: 30m
                    deviation: 2.5
                  - id: s
                    kind: sequence
                    severity: info
                    steps: [{match: {signal: log}}, {match: {signal: span}}]
                    within: 5s
                """);
        assertThat(rules.get(0).cooldown).isEqualTo(Duration.ZERO);
        assertThat(rules.get(0).forDuration).isEqualTo(Duration.ZERO);
        assertThat(rules.get(0).by).isEmpty();
        assertThat(rules.get(0).condition).isEqualTo(new Condition("severityText", Operator.EQ, "ERROR"));
        assertThat(rules.get(1).minSamples).isEqualTo(30);
        assertThat(rules.get(1).forDuration).isEqualTo(Duration.ZERO);
        assertThat(rules.get(1).deviation).isEqualTo(2.5);
        assertThat(rules.get(2).strict).isFalse();
        assertThat(rules.get(2).signals()).containsExactly(Signal.LOG, Signal.SPAN);
    }

    @Test
    void filesAreReadInNameOrderAndOnlyYamlFilesCount() throws Exception {
        Files.writeString(dir.resolve("b.yaml"), "rules:\n  - {id: b1, kind: count, severity: info, match: {signal: log}, count: 1, within: 1s}\n");
        Files.writeString(dir.resolve("a.yaml"), "rules:\n  - {id: a1, kind: count, severity: info, match: {signal: log}, count: 2, within: 1s}\n");
        Files.writeString(dir.resolve("README.md"), "not rules");
        Files.writeString(dir.resolve(".a.yaml.swp"), "garbage: [");
        Files.createDirectories(dir.resolve("sub")).resolve("c.yaml");
        Files.writeString(dir.resolve("sub/c.yaml"), "not: rules");
        Files.writeString(dir.resolve("empty.yaml"), "rules: []\n");
        assertThat(RuleLoader.load(dir)).extracting(r -> r.id).containsExactly("a1", "b1");
        assertThat(RuleLoader.load(dir.resolve("b.yaml"))).extracting(r -> r.id).containsExactly("b1");
    }

    @Test
    void aMissingFolderIsRefusedNamingIt() {
        assertThatThrownBy(() -> RuleLoader.load(dir.resolve("nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("nope") + ": no such file or folder");
    }

    private static Rule rule(String id, RuleKind kind, Severity severity) {
        Rule r = new Rule();
        r.id = id;
        r.kind = kind;
        r.severity = severity;
        return r;
    }
}
