package io.telemetrysuite.cep.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.telemetrysuite.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad rule files are refused with every problem, each with its exact file, line, column, field and reason. */
class RuleLoaderErrorsTest {
    @TempDir Path dir;

    private static final String SPAN_FIELDS = "name, kind, status, statusMessage, serviceName, traceId, spanId, parentSpanId, "
            + "scopeName, durationMs, adjustedCount, sampledBy";

    @Test
    void unknownKindSeverityAndKeysAreNamed() {
        assertProblems("""
                rules:
                  - id: a
                    kind: treshold
                    severity: page
                    match: {signal: spam}
                    colour: red
                """,
                "r.yaml:3:11: rules[0].kind: expected one of threshold, count, sequence, absence, baseline, got \"treshold\" (did you mean \"threshold\"?)",
                "r.yaml:4:15: rules[0].severity: expected one of info, warning, critical, got \"page\"",
                "r.yaml:6:5: rules[0].colour: unknown field \"colour\"; known fields: id, kind, severity, match, by, labels, annotations, cooldown, "
                        + "condition, for, count, within, steps, strict, after, expect, field, baseline, deviation, minSamples");
    }

    @Test
    void unknownSignalIsNamed() {
        assertProblems("rules:\n  - {id: a, kind: count, severity: info, match: {signal: spam}, count: 1, within: 1s}\n",
                "r.yaml:2:58: rules[0].match.signal: expected one of span, metric, log, workload, system, inference, aggregate, got \"spam\" (did you mean \"span\"?)");
    }

    @Test
    void matchFieldsAreCheckedAgainstTheSignalsCatalogAndTypes() {
        assertProblems("""
                rules:
                  - id: a
                    kind: threshold
                    severity: info
                    match: {signal: span, naem: x, durationMs: fast, status: 5}
                    condition: {field: name, op: "=", value: x}
                    for: 5
                    count: 3
                """,
                "r.yaml:5:27: rules[0].match.naem: unknown field \"naem\" for signal span (did you mean \"name\"?); its fields: " + SPAN_FIELDS
                        + " (besides signal and attributes)",
                "r.yaml:5:48: rules[0].match.durationMs: durationMs is a number field; expected a number, got \"fast\"",
                "r.yaml:5:62: rules[0].match.status: status is a string field, got 5; quote it (\"5\") to compare text",
                // The match is broken, but its signal is known: the condition is still checked against it.
                "r.yaml:6:34: rules[0].condition.op: expected one of >, >=, <, <=, ==, !=, got \"=\" (equality is ==)",
                "r.yaml:7:10: rules[0].for: expected a duration such as 500ms, 30s, 5m, 1h or 2d, got 5",
                "r.yaml:8:5: rules[0].count: \"count\" belongs to count rules; a threshold rule takes condition, for besides "
                        + "id, kind, severity, match, by, labels, annotations, cooldown");
    }

    @Test
    void conditionValuesMustFitTheFieldAndOrderingNeedsNumbers() {
        assertProblems("""
                rules:
                  - {id: a, kind: threshold, severity: info, match: {signal: metric}, condition: {field: monotonic, op: '>=', value: yes}}
                  - {id: b, kind: threshold, severity: info, match: {signal: metric}, condition: {field: value, op: '>', value: '0.5'}}
                  - {id: c, kind: threshold, severity: info, match: {signal: log}, condition: {field: body, op: '<', value: x}}
                  - {id: d, kind: threshold, severity: info, match: {signal: log}, condition: {field: cpu, op: '==', value: 1}}
                """,
                "r.yaml:2:105: rules[0].condition.op: \">=\" orders numbers, but monotonic is a boolean; use == or !=",
                "r.yaml:2:118: rules[0].condition.value: monotonic is a boolean field; expected true or false, got \"yes\"",
                "r.yaml:3:113: rules[1].condition.value: value is a number field; expected a number, got \"0.5\" (a quoted string; remove the quotes)",
                "r.yaml:4:97: rules[2].condition.op: \"<\" orders numbers, but body is a string; use == or !=",
                "r.yaml:5:87: rules[3].condition.field: unknown field \"cpu\" for signal log; its fields: severityText, severityNumber, body, "
                        + "eventName, serviceName, scopeName, traceId, spanId");
    }

    @Test
    void countWithinAndByAreChecked() {
        assertProblems("""
                rules:
                  - id: a
                    kind: count
                    severity: info
                    match: {signal: log}
                    count: 0
                    within: 0s
                    by: ["", host, host]
                """,
                "r.yaml:6:12: rules[0].count: expected a positive integer up to 2147483647, got 0 (a count rule fires on at least this many events, so 1 or more)",
                "r.yaml:7:13: rules[0].within: expected a duration greater than zero, got \"0s\"",
                "r.yaml:8:10: rules[0].by[0]: expected an attribute name, got \"\"",
                "r.yaml:8:20: rules[0].by[2]: \"host\" is listed twice");
    }

    @Test
    void aSequenceNeedsTwoStepsAndNoMatchOfItsOwn() {
        assertProblems("""
                rules:
                  - id: a
                    kind: sequence
                    severity: info
                    match: {signal: log}
                    steps: []
                    within: 1m
                  - id: b
                    kind: sequence
                    severity: info
                    steps: [{match: {signal: log}}]
                    within: 1m
                  - id: c
                    kind: sequence
                    severity: info
                    steps: [{match: {signal: log}}, {match: {signal: span}, condition: {field: body, op: ==, value: x}}, {when: x}]
                """,
                "r.yaml:5:5: rules[0].match: a sequence rule has no match of its own: each step has one",
                "r.yaml:6:12: rules[0].steps: a sequence needs at least two steps, got 0",
                "r.yaml:11:12: rules[1].steps: a sequence needs at least two steps, got 1 (one step alone is a count rule with count: 1)",
                "r.yaml:13:5: rules[2].within: required field is missing",
                "r.yaml:16:80: rules[2].steps[1].condition.field: unknown field \"body\" for signal span; its fields: " + SPAN_FIELDS,
                "r.yaml:16:106: rules[2].steps[2].match: required field is missing",
                "r.yaml:16:107: rules[2].steps[2].when: unknown field \"when\"; known fields: match, condition");
    }

    @Test
    void baselineNeedsANumberFieldAPositiveDeviationAndTwoSamples() {
        assertProblems("""
                rules:
                  - id: a
                    kind: baseline
                    severity: info
                    match: {signal: span}
                    field: name
                    baseline: 1h
                    deviation: 0
                    minSamples: 1
                  - {id: b, kind: baseline, severity: info, match: {signal: metric}}
                """,
                "r.yaml:6:12: rules[0].field: name is a string field; expected a number field of span events",
                "r.yaml:8:16: rules[0].deviation: expected a positive number, got 0 (standard deviations from the baseline mean)",
                "r.yaml:9:17: rules[0].minSamples: expected at least 2 (a standard deviation needs two samples), got 1",
                "r.yaml:10:5: rules[1].field: required field is missing",
                "r.yaml:10:5: rules[1].baseline: required field is missing",
                "r.yaml:10:5: rules[1].deviation: required field is missing");
    }

    @Test
    void anAbsenceIsAHeartbeatOrAFollowUpNeverAMix() {
        assertProblems("""
                rules:
                  - id: a
                    kind: absence
                    severity: info
                    match: {signal: system}
                    within: 1m
                  - id: b
                    kind: absence
                    severity: info
                    after: {signal: system}
                    for: 1m
                """,
                "r.yaml:2:5: rules[0].for: required field is missing",
                "r.yaml:6:13: rules[0].within: an absence rule takes within only together with after (the follow-up form); a heartbeat rule takes match and for",
                "r.yaml:7:5: rules[1].expect: required field is missing",
                "r.yaml:7:5: rules[1].within: required field is missing",
                "r.yaml:11:10: rules[1].for: an absence rule with after takes expect and within, not for (match with for is the other form: a heartbeat that stops)");
    }

    @Test
    void labelsAndTemplatesMustNameWhatTheAlertCarries() {
        assertProblems("""
                rules:
                  - id: a
                    kind: count
                    severity: info
                    match: {signal: log}
                    count: 3
                    within: 1m
                    by: [host]
                    labels: {team: x, host: y, severity: z, bad-name: q}
                    annotations: {summary: '{{host}} {{ team }} {{route}}', b: 'x {{', c: '{{ }}'}
                """,
                "r.yaml:9:29: rules[0].labels.host: \"host\" is also in by, whose value the alert already carries as this label",
                "r.yaml:9:42: rules[0].labels.severity: \"severity\" is set from the rule itself (alertname, severity); choose another label name",
                "r.yaml:9:55: rules[0].labels.bad-name: label names are letters, digits and '_', not starting with a digit (Alertmanager's rule), got \"bad-name\"",
                "r.yaml:10:28: rules[0].annotations.summary: {{route}} is neither in by nor in labels, so the alert has no value for it; it can use: host, team",
                "r.yaml:10:64: rules[0].annotations.b: \"{{\" at character 3 is not closed with \"}}\"",
                "r.yaml:10:75: rules[0].annotations.c: empty placeholder \"{{}}\" at character 1");
    }

    @Test
    void idsAttributeValuesAndNullsAreChecked() {
        assertProblems("""
                rules:
                  - id: 'a b'
                    kind: count
                    severity: info
                    match: {signal: log, attributes: {x: [1]}}
                    count: 3
                    within: 1m
                    cooldown:
                """,
                "r.yaml:2:9: rules[0].id: expected an id of letters, digits, '.', '_' and '-' starting with a letter or digit, got \"a b\"",
                "r.yaml:5:42: rules[0].match.attributes.x: expected a string, got a list",
                "r.yaml:8:14: rules[0].cooldown: expected a value, got null (leave the key out for the default)");
    }

    @Test
    void theFileItselfMustBeARulesList() {
        assertProblems("rules: {}\n", "r.yaml:1:8: rules: expected a list of rules, got a mapping");
        assertProblems("rulez: []\n", "r.yaml:1:1: rulez: unknown field \"rulez\", did you mean \"rules\"?", "r.yaml:1:1: rules: required field is missing");
        assertProblems("rules:\n  - 3\n", "r.yaml:2:5: rules[0]: expected a rule (a mapping with id, kind, severity, ...), got \"3\"");
        assertProblems("rules:\n  - id: a\n  kind: x\n", "r.yaml:3:3: invalid YAML: expected <block end>, but found '?' (while parsing a block collection)");
        assertProblems("rules:\n  - id: a\n    kind: threshold\n    kind: count\n", "r.yaml:4:5: rules[0].kind: duplicate key \"kind\" (first defined at line 3, column 5)");
    }

    @Test
    void everyProblemOfEveryFileIsReportedTogetherWithDuplicateIdsNamingBothPlaces() throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), """
                rules:
                  - {id: cpu, kind: threshold, severity: info, match: {signal: system}, condition: {field: cpuPercent, op: ">", value: 90}}
                  - {id: disk, kind: count, severity: info, match: {signal: system}, count: -1, within: 1m}
                """);
        Path b = Files.writeString(dir.resolve("b.yaml"), """
                rules:
                  - {id: mem, kind: count, severity: info, match: {signal: system}, count: 2, within: 1m}
                  - {id: cpu, kind: count, severity: info, match: {signal: system}, count: 2, within: 1m}
                  - {id: disk, kind: count, severity: fatal, match: {signal: system}, count: 2, within: 1m}
                """);
        Path c = Files.writeString(dir.resolve("c.yml"), "rules: []\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RuleLoader.load(dir));
        assertThat(e.getProblems()).extracting(ConfigException::getMessage).containsExactly(
                a + ":3:77: rules[1].count: expected a positive integer up to 2147483647, got -1 (a count rule fires on at least this many events, so 1 or more)",
                b + ":3:10: rules[1].id: duplicate id \"cpu\" (first defined at " + a + ":2:10, rules[0].id); ids are unique across all rule files",
                b + ":4:10: rules[2].id: duplicate id \"disk\" (first defined at " + a + ":3:10, rules[1].id); ids are unique across all rule files",
                b + ":4:39: rules[2].severity: expected one of info, warning, critical, got \"fatal\"",
                c + ": rule files end in .yaml; rename it so that it is read");
    }

    private static void assertProblems(String yaml, String... expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RuleLoader.parse("r.yaml", yaml));
        assertThat(e).as("expected the rules to be refused").isNotNull();
        List<String> messages = e.getProblems().stream().map(ConfigException::getMessage).toList();
        assertThat(messages).containsExactly(expected);
    }
}
