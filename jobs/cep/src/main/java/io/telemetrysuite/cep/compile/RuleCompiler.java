package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.model.Alert;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Compiles a rule set into operators over event streams that already carry event time:
 *
 * <pre>
 *   signal ─▶ select (every rule of the signal, once per event) ─┬─▶ CEP rule A's events ─▶ keyBy(by) ─▶ rule A ──────────────┐
 *                                                                └─▶ rules B, C, D (same by) ─▶ keyBy(by) ─▶ ordered rules B C D ─┴─▶ alerts
 * </pre>
 *
 * <p>{@code count}, {@code sequence} and after/expect {@code absence} are Flink CEP patterns
 * ({@link RulePatterns}), each its own keyed operator with uid {@code cep-rule-<id>-<content hash>}
 * ({@link #uid}; an after/expect rule has a second one, {@code <uid>-resolve}, for its {@code resolved}).
 * {@code threshold}, {@code baseline} and heartbeat {@code absence} are keyed state machines
 * ({@link HeldConditionFunction}, {@link HeartbeatFunction}) because they need to remember that an alert
 * is firing to send its {@code resolved}, which CEP matches cannot; those of one signal and one
 * {@code by} share one {@link OrderedRules} operator, uid {@code cep-rules-<signal>-by-<by,...>}, in which
 * each rule's state is named after the rule's own uid ({@code <uid>/hold}, ...). A rule with a cooldown
 * gets one more operator, {@code <uid>-cooldown}.
 *
 * <p>Savepoints: a CEP rule's state is its operator's, and a state machine's is its own named state in
 * the shared operator, whose uid depends only on the signal and the key attributes; either way the name
 * carries the rule's content hash, so across {@code rules apply} an unchanged rule keeps its state and an
 * edited one starts empty, whatever else is added or removed. The trade-offs of sharing: the state of a
 * removed (or edited) state-machine rule stays in its group's savepoint, never read, until the group
 * itself goes; a rule whose {@code by} changes moves to another operator (it starts empty anyway, being
 * edited); the web UI shows the group, not each rule.
 */
public final class RuleCompiler {
    private RuleCompiler() {}

    /**
     * The state identity of a rule: {@code cep-rule-<id>-<first 8 hex digits of the SHA-256 of what the rule
     * does>} ({@link RuleContent}). An unchanged rule keeps its uid, and so its state, across a savepoint
     * ({@code rules apply}); an edited one gets a new uid and starts empty, because the state of the old
     * pattern (a CEP shared buffer, a hold with another condition) need not fit the new one. Where the rule
     * is written does not count, so moving it to another file keeps its state.
     */
    public static String uid(Rule rule) {
        return "cep-rule-" + rule.id + "-" + RuleContent.hash(rule);
    }

    /** The uid of the operator that runs the state-machine rules of {@code signal} keyed by {@code by}. */
    public static String groupUid(Signal signal, List<String> by) {
        return "cep-rules-" + signal.yamlName() + "-by-" + String.join(",", by);
    }

    /** Whether {@code rule} runs in an {@link OrderedRules} operator rather than its own CEP operator. */
    static boolean isStateMachine(Rule rule) {
        return rule.kind == RuleKind.THRESHOLD || rule.kind == RuleKind.BASELINE || (rule.kind == RuleKind.ABSENCE && rule.match != null);
    }

    /**
     * The alerts of {@code rules} over {@code signals} (each stream with timestamps and watermarks
     * assigned). A signal no rule reads is not touched; a rule whose signal is missing from the map
     * reads nothing.
     */
    public static DataStream<Alert> compile(Map<Signal, DataStream<?>> signals, List<Rule> rules) {
        Map<Rule, List<DataStream<RuleEvent>>> eventsByRule = new LinkedHashMap<>();
        rules.stream().filter(r -> !isStateMachine(r)).forEach(r -> eventsByRule.put(r, new ArrayList<>()));
        Map<Signal, List<Rule>> rulesBySignal = new EnumMap<>(Signal.class);
        for (Rule rule : rules) {
            for (Signal s : rule.signals()) rulesBySignal.computeIfAbsent(s, k -> new ArrayList<>()).add(rule);
        }
        List<DataStream<Alert>> outputs = new ArrayList<>();
        rulesBySignal.forEach((signal, signalRules) -> {
            DataStream<?> stream = signals.get(signal);
            if (stream == null) return;
            List<Rule> cepRules = signalRules.stream().filter(r -> !isStateMachine(r)).toList();
            List<OutputTag<RuleEvent>> tags = cepRules.stream()
                    .map(r -> new OutputTag<>("rule-" + r.id, TypeInformation.of(RuleEvent.class))).toList();
            Map<List<String>, List<Rule>> byKey = new LinkedHashMap<>();
            signalRules.stream().filter(RuleCompiler::isStateMachine).forEach(r -> byKey.computeIfAbsent(r.by, k -> new ArrayList<>()).add(r));
            List<RuleSelector.Group> groups = new ArrayList<>();
            byKey.forEach((by, members) -> groups.add(new RuleSelector.Group(members,
                    new OutputTag<>(groupUid(signal, by), TypeInformation.of(GroupEvent.class)))));

            SingleOutputStreamOperator<RuleEvent> selected = select(stream, signal, cepRules, tags, groups);
            for (int i = 0; i < cepRules.size(); i++) eventsByRule.get(cepRules.get(i)).add(selected.getSideOutput(tags.get(i)));
            for (RuleSelector.Group group : groups) outputs.addAll(orderedRules(signal, group, selected.getSideOutput(group.output)));
        });

        for (Map.Entry<Rule, List<DataStream<RuleEvent>>> entry : eventsByRule.entrySet()) {
            if (entry.getValue().isEmpty()) continue;
            outputs.add(rule(entry.getKey(), union(entry.getValue())));
        }
        if (outputs.isEmpty()) throw new IllegalArgumentException("no rule reads any of the given signals " + signals.keySet());
        DataStream<Alert> all = outputs.get(0);
        for (DataStream<Alert> s : outputs.subList(1, outputs.size())) all = all.union(s);
        return all;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SingleOutputStreamOperator<RuleEvent> select(DataStream<?> stream, Signal signal, List<Rule> rules,
                                                                List<OutputTag<RuleEvent>> tags, List<RuleSelector.Group> groups) {
        return ((DataStream) stream)
                .process(new RuleSelector<>(signal, rules, tags, groups), TypeInformation.of(RuleEvent.class))
                .setParallelism(stream.getParallelism())
                .uid("cep-select-" + signal.yamlName())
                .name("Select " + signal.yamlName() + " events");
    }

    private static DataStream<RuleEvent> union(List<DataStream<RuleEvent>> streams) {
        DataStream<RuleEvent> out = streams.get(0);
        for (DataStream<RuleEvent> s : streams.subList(1, streams.size())) out = out.union(s);
        return out;
    }

    /**
     * One {@link OrderedRules} operator for a group's rules, and their alerts: those of rules without a
     * cooldown as they are, each other rule's through its own cooldown.
     */
    private static List<DataStream<Alert>> orderedRules(Signal signal, RuleSelector.Group group, DataStream<GroupEvent> events) {
        List<RuleStateMachine> machines = group.rules.stream().map(RuleCompiler::stateMachine).toList();
        String ids = String.join(", ", group.rules.stream().map(r -> r.id).toList());
        SingleOutputStreamOperator<Alert> alerts = events.keyBy(g -> g.key, Types.STRING)
                .process(new OrderedRules(machines), TypeInformation.of(Alert.class))
                .uid(groupUid(signal, group.by))
                .name("Rules " + ids);
        List<DataStream<Alert>> out = new ArrayList<>();
        java.util.Set<String> plain = new java.util.HashSet<>();
        for (Rule rule : group.rules) {
            if (rule.cooldown.isZero()) {
                plain.add(rule.id);
                continue;
            }
            String id = rule.id;
            out.add(cooldown(rule, alerts.filter(a -> id.equals(a.ruleId)).name("Alerts of " + id)));
        }
        if (plain.size() == group.rules.size()) out.add(alerts);
        else if (!plain.isEmpty()) out.add(alerts.filter(a -> plain.contains(a.ruleId)).name("Alerts without cooldown"));
        return out;
    }

    private static RuleStateMachine stateMachine(Rule rule) {
        return switch (rule.kind) {
            case THRESHOLD -> new ThresholdFunction(rule);
            case BASELINE -> new BaselineFunction(rule);
            case ABSENCE -> new HeartbeatFunction(rule);
            default -> throw new IllegalArgumentException(rule + " is a CEP rule");
        };
    }

    private static DataStream<Alert> cooldown(Rule rule, DataStream<Alert> alerts) {
        return alerts.keyBy(Alert::fingerprint, Types.STRING)
                .process(new CooldownFunction(rule.cooldown.toMillis()), TypeInformation.of(Alert.class))
                .uid(uid(rule) + "-cooldown")
                .name("Rule " + rule.id + " cooldown");
    }

    /** One CEP rule's operator (and its cooldown) over its selected events. */
    static DataStream<Alert> rule(Rule rule, DataStream<RuleEvent> events) {
        KeyedStream<RuleEvent, String> keyed = events.keyBy(e -> e.key, Types.STRING);
        DataStream<Alert> alerts = switch (rule.kind) {
            case ABSENCE -> afterExpect(keyed, rule);
            case COUNT -> cep(keyed, RulePatterns.count(rule), rule);
            case SEQUENCE -> cep(keyed, RulePatterns.sequence(rule), rule);
            default -> throw new IllegalArgumentException(rule + " is a state-machine rule");
        };
        return rule.cooldown.isZero() ? alerts : cooldown(rule, alerts);
    }

    private static SingleOutputStreamOperator<Alert> cep(KeyedStream<RuleEvent, String> keyed, Pattern<RuleEvent, ?> pattern, Rule rule) {
        return CEP.pattern(keyed, pattern)
                .inEventTime()
                .process(new MatchToAlert(rule), TypeInformation.of(Alert.class))
                .uid(uid(rule))
                .name("Rule " + rule.id);
    }

    /**
     * Two CEP operators on the same keyed events: the rule's own (a follow-up missing for {@code within}
     * fires, from the timed-out partial match) and {@code cep-rule-<id>-resolve}, the same pattern over
     * a longer horizon, whose late matches resolve those alerts.
     */
    private static DataStream<Alert> afterExpect(KeyedStream<RuleEvent, String> keyed, Rule rule) {
        SingleOutputStreamOperator<Alert> fired = cep(keyed, RulePatterns.afterExpect(rule), rule);
        DataStream<Alert> resolved = CEP.pattern(keyed, RulePatterns.lateFollowUp(rule))
                .inEventTime()
                .process(new MatchToAlert(rule, true), TypeInformation.of(Alert.class))
                .uid(uid(rule) + "-resolve")
                .name("Rule " + rule.id + " resolve");
        return fired.getSideOutput(MatchToAlert.TIMED_OUT).union(resolved);
    }
}
