package io.telemetrysuite.cep.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff {@code rules apply} prints: by id, behaviour only (moving a rule to another file or line changes nothing). */
class RuleSetDiffTest {
    private static final String BEFORE = """
            rules:
              - {id: cpu, kind: threshold, severity: warning, match: {signal: system}, condition: {field: cpuPercent, op: ">", value: 90}, for: 2m}
              - {id: gone, kind: count, severity: info, match: {signal: log}, count: 3, within: 1m}
              - {id: same, kind: count, severity: info, match: {signal: log}, count: 5, within: 1m}
            """;
    private static final String AFTER = """
            # moved down two lines and to another file: still the same rule
            rules:
              - {id: new, kind: count, severity: critical, match: {signal: span, status: error}, count: 10, within: 30s}

              - {id: same, kind: count, severity: info, match: {signal: log}, count: 5, within: 1m}
              - {id: cpu, kind: threshold, severity: critical, match: {signal: system}, condition: {field: cpuPercent, op: ">", value: 95}, for: 5m}
            """;

    @Test
    void addedRemovedModifiedAndKeptByIdIgnoringWhereRulesAreWritten() {
        List<Rule> before = RuleLoader.parse("old.yaml", BEFORE);
        List<Rule> after = RuleLoader.parse("new.yaml", AFTER);
        RuleSetDiff diff = RuleSetDiff.between(before, after);

        assertThat(diff.added()).extracting(r -> r.id).containsExactly("new");
        assertThat(diff.removed()).extracting(r -> r.id).containsExactly("gone");
        assertThat(diff.modified()).extracting(m -> m.after().id).containsExactly("cpu");
        assertThat(diff.kept()).extracting(r -> r.id).containsExactly("same");
        assertThat(diff.isEmpty()).isFalse();
        assertThat(diff.lines()).containsExactly(
                "+ new (count, new.yaml:3)",
                "- gone (count)",
                "~ cpu: severity warning -> critical; condition cpuPercent > 90.0 -> cpuPercent > 95.0; for 2m -> 5m",
                "= same",
                "1 added, 1 removed, 1 modified, 1 kept");
    }

    @Test
    void theSameRulesInOtherFilesAreNoChange() {
        RuleSetDiff diff = RuleSetDiff.between(RuleLoader.parse("a.yaml", BEFORE), RuleLoader.parse("b.yaml", "\n\n" + BEFORE));
        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.summary()).isEqualTo("0 added, 0 removed, 0 modified, 3 kept");
    }
}
