package io.telemetrysuite.cep.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cep.rule.Condition;
import io.telemetrysuite.cep.rule.EventMatch;
import io.telemetrysuite.cep.rule.Operator;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.Severity;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.model.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The shared operator of the state-machine rules keeps each rule's state under the rule's id: a
 * savepoint taken with one rule set restores an unchanged rule's state into another.
 */
class OrderedRulesTest {
    @Test
    void anUnchangedRuleKeepsItsHoldWhenOtherRulesAreAddedAndRemoved() throws Exception {
        OperatorSubtaskState savepoint;
        try (var before = harness(List.of(cpuAbove("a"), cpuAbove("b")))) {
            before.open();
            before.processElement(event(1_000, "a", "b"), 1_000);
            before.processWatermark(1_000);
            before.processElement(event(5_000, "a", "b"), 5_000); // still pending at the savepoint
            assertThat(before.extractOutputValues()).isEmpty();
            savepoint = before.snapshot(1L, 1L);
        }
        // "a" removed, "c" added, "b" now first: its hold since 1,000 and its pending event must follow it.
        try (var after = harness(List.of(cpuAbove("b"), cpuAbove("c")))) {
            after.initializeState(savepoint);
            after.open();
            after.processElement(event(11_000, "b", "c"), 11_000);
            after.processWatermark(11_000);

            List<Alert> alerts = after.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).ruleId).isEqualTo("b");
            assertThat(alerts.get(0).startsAt).isEqualTo(1_000);
            assertThat(alerts.get(0).eventTime).isEqualTo(11_000);
            assertThat(alerts.get(0).labels).containsExactly(Map.entry("host", "h1"));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupEvent, Alert> harness(List<Rule> rules) throws Exception {
        List<RuleStateMachine> machines = rules.stream().<RuleStateMachine>map(ThresholdFunction::new).toList();
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new OrderedRules(machines)), g -> g.key, Types.STRING);
    }

    /** {@code cpuPercent > 80} held for 10 s, by host. */
    private static Rule cpuAbove(String id) {
        Rule r = new Rule();
        r.id = id;
        r.kind = RuleKind.THRESHOLD;
        r.severity = Severity.WARNING;
        r.match = new EventMatch(Signal.SYSTEM, Map.of(), Map.of());
        r.condition = new Condition("cpuPercent", Operator.GT, 80.0);
        r.forDuration = Duration.ofSeconds(10);
        r.by = List.of("host");
        return r;
    }

    /** Host h1 at {@code time}, over the threshold for each of {@code ruleIds}. */
    private static GroupEvent event(long time, String... ruleIds) {
        GroupEvent g = new GroupEvent();
        g.key = "h1";
        g.timestamp = time;
        g.ruleIds = ruleIds;
        g.events = new RuleEvent[ruleIds.length];
        for (int i = 0; i < ruleIds.length; i++) {
            RuleEvent e = new RuleEvent();
            e.key = g.key;
            e.timestamp = time;
            e.flags = RuleEvent.HOLDS;
            e.value = 95;
            e.signal = Signal.SYSTEM;
            g.events[i] = e;
        }
        return g;
    }
}
