package io.telemetrysuite.cep.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import org.junit.jupiter.api.Test;

/**
 * A rule's operator uid is its state identity across savepoints ({@code rules apply}, {@code upgrade}):
 * the same for the same behaviour wherever and however it is written, different for any change the
 * rule diff calls a modification, and fixed across builds and JVMs.
 */
class RuleUidTest {
    private static final String CPU = """
            rules:
              - id: cpu-hot
                kind: threshold
                severity: warning
                match: {signal: system}
                by: [host]
                labels: {team: platform, tier: web}
                condition: {field: cpuPercent, op: ">", value: 90}
                for: 60s
            """;

    private static Rule one(String source, String yaml) {
        return RuleLoader.parse(source, yaml).get(0);
    }

    @Test
    void theUidIsPinned() {
        // A change to the derivation gives every rule a new uid: the next upgrade would restart every rule empty.
        assertThat(RuleCompiler.uid(one("a.yaml", CPU))).isEqualTo("cep-rule-cpu-hot-6855b4f2");
    }

    @Test
    void whereAndHowTheRuleIsWrittenDoNotCount() {
        String moved = "# moved\nrules:\n  - {id: cpu-hot, kind: threshold, severity: warning, match: {signal: system}, by: [host],"
                + " labels: {tier: web, team: platform}, condition: {field: cpuPercent, op: \">\", value: 90.0}, for: 1m}\n";
        assertThat(RuleCompiler.uid(one("elsewhere/b.yaml", moved))).isEqualTo(RuleCompiler.uid(one("a.yaml", CPU)));
    }

    @Test
    void everyChangeOfBehaviourGivesANewUid() {
        String uid = RuleCompiler.uid(one("a.yaml", CPU));
        String[][] edits = {{"value: 90", "value: 95"}, {"for: 60s", "for: 2m"}, {"severity: warning", "severity: critical"},
                {"tier: web", "tier: api"}, {"by: [host]", "by: [host, host.name]"}, {"op: \">\"", "op: \">=\""}};
        for (String[] edit : edits) {
            String edited = CPU.replace(edit[0], edit[1]);
            assertThat(edited).isNotEqualTo(CPU);
            Rule rule = one("a.yaml", edited);
            assertThat(rule).isNotEqualTo(one("a.yaml", CPU));
            assertThat(RuleCompiler.uid(rule)).as(edit[0] + " -> " + edit[1]).startsWith("cep-rule-cpu-hot-").isNotEqualTo(uid);
        }
    }
}
