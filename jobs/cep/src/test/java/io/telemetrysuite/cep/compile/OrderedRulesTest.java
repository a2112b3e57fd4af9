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
 * The shared operator of the state-machine rules keeps each rule's state under the rule's uid: a
 * savepoint taken with one rule set restores an unchanged rule's state into another, and an edited
 * rule starts empty.
 */
class OrderedRulesTest {
    @Test
    void anUnchangedRuleKeepsItsHoldWhenOtherRulesAreAddedRemovedAndEdited() throws Exception {
        OperatorSubtaskState savepoint;
        try (var before = harness(List.of(A, B))) {
            before.open();
            before.processElement(event(1_000, A, B), 1_000);
            before.processWatermark(1_000);
            before.processElement(event(5_000, A, B), 5_000); // still pending at the savepoint
            assertThat(before.extractOutputValues()).isEmpty();
            savepoint = before.snapshot(1L, 1L);
        }
        // "a" removed, "c" added, "b" now first, and "a2" is "a" edited: b's hold since 1,000 and its pending
        // event must follow b; a2 must start empty.
        try (var after = harness(List.of(B, C, A2))) {
            after.initializeState(savepoint);
            after.open();
            after.processElement(event(11_000, B, C, A2), 11_000);
            after.processWatermark(11_000);

            List<Alert> alerts = after.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).ruleId).isEqualTo("b");
            assertThat(alerts.get(0).startsAt).isEqualTo(1_000);
            assertThat(alerts.get(0).eventTime).isEqualTo(11_000);
            assertThat(alerts.get(0).labels).containsExactly(Map.entry("host", "h1"));
        }
    }

    private static final Rule A = cpuAbove("a", 80);
    private static final Rule A2 = cpuAbove("a", 70);
    private static final Rule B = cpuAbove("b", 80);
    private static final Rule C = cpuAbove("c", 80);

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupEvent, Alert> harness(List<Rule> rules) throws Exception {
        List<RuleStateMachine> machines = rules.stream().<RuleStateMachine>map(ThresholdFunction::new).toList();
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new OrderedRules(machines)), g -> g.key, Types.STRING);
    }

    /** {@code cpuPercent > limit} held for 10 s, by host. */
    private static Rule cpuAbove(String id, double limit) {
        Rule r = new Rule();
        r.id = id;
        r.kind = RuleKind.THRESHOLD;
        r.severity = Severity.WARNING;
        r.match = new EventMatch(Signal.SYSTEM, Map.of(), Map.of());
        r.condition = new Condition("cpuPercent", Operator.GT, limit);
        r.forDuration = Duration.ofSeconds(10);
        r.by = List.of("host");
        return r;
    }

    /** Host h1 at {@code time}, over the threshold of each of {@code rules}. */
    private static GroupEvent event(long time, Rule... rules) {
        GroupEvent g = new GroupEvent();
        g.key = "h1";
        g.timestamp = time;
        g.ruleIds = java.util.Arrays.stream(rules).map(RuleCompiler::uid).toArray(String[]::new);
        g.events = new RuleEvent[rules.length];
        for (int i = 0; i < rules.length; i++) {
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
