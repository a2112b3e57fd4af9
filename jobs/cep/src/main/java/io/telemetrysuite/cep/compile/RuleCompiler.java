package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
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
 *   signal ─▶ select (every rule of the signal, once per event) ─┬─▶ rule A's events ─▶ keyBy(by) ─▶ rule A ─┐
 *                                                                └─▶ rule B's events ─▶ keyBy(by) ─▶ rule B ─┴─▶ alerts
 * </pre>
 *
 * <p>Each rule is its own keyed operator with uid {@code cep-rule-<id>-<content hash>} ({@link #uid}), so a
 * savepoint restores the state of every rule that did not change when rules are added, removed or
 * edited, and an edited rule starts empty. {@code count},
 * {@code sequence} and after/expect {@code absence} are Flink CEP patterns ({@link RulePatterns}; an
 * after/expect rule has a second CEP operator, {@code cep-rule-<id>-resolve}, for its {@code resolved});
 * {@code threshold}, {@code baseline} and heartbeat {@code absence} are keyed state machines
 * ({@link HeldConditionFunction}, {@link HeartbeatFunction}) because they need to remember that an alert
 * is firing to send its {@code resolved}, which CEP matches cannot. A rule with a cooldown gets one more
 * operator, {@code cep-rule-<id>-cooldown}.
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

    /**
     * The alerts of {@code rules} over {@code signals} (each stream with timestamps and watermarks
     * assigned). A signal no rule reads is not touched; a rule whose signal is missing from the map
     * reads nothing.
     */
    public static DataStream<Alert> compile(Map<Signal, DataStream<?>> signals, List<Rule> rules) {
        Map<Rule, List<DataStream<RuleEvent>>> eventsByRule = new LinkedHashMap<>();
        rules.forEach(r -> eventsByRule.put(r, new ArrayList<>()));
        Map<Signal, List<Rule>> rulesBySignal = new EnumMap<>(Signal.class);
        for (Rule rule : rules) {
            for (Signal s : rule.signals()) rulesBySignal.computeIfAbsent(s, k -> new ArrayList<>()).add(rule);
        }
        rulesBySignal.forEach((signal, signalRules) -> {
            DataStream<?> stream = signals.get(signal);
            if (stream == null) return;
            List<OutputTag<RuleEvent>> tags = signalRules.stream()
                    .map(r -> new OutputTag<>("rule-" + r.id, TypeInformation.of(RuleEvent.class))).toList();
            SingleOutputStreamOperator<RuleEvent> selected = select(stream, signal, signalRules, tags);
            for (int i = 0; i < signalRules.size(); i++) eventsByRule.get(signalRules.get(i)).add(selected.getSideOutput(tags.get(i)));
        });

        DataStream<Alert> all = null;
        for (Map.Entry<Rule, List<DataStream<RuleEvent>>> entry : eventsByRule.entrySet()) {
            if (entry.getValue().isEmpty()) continue;
            DataStream<Alert> alerts = rule(entry.getKey(), union(entry.getValue()));
            all = all == null ? alerts : all.union(alerts);
        }
        if (all == null) throw new IllegalArgumentException("no rule reads any of the given signals " + signals.keySet());
        return all;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SingleOutputStreamOperator<RuleEvent> select(DataStream<?> stream, Signal signal, List<Rule> rules,
                                                                List<OutputTag<RuleEvent>> tags) {
        return ((DataStream) stream)
                .process(new RuleSelector<>(signal, rules, tags), TypeInformation.of(RuleEvent.class))
                .setParallelism(stream.getParallelism())
                .uid("cep-select-" + signal.yamlName())
                .name("Select " + signal.yamlName() + " events");
    }

    private static DataStream<RuleEvent> union(List<DataStream<RuleEvent>> streams) {
        DataStream<RuleEvent> out = streams.get(0);
        for (DataStream<RuleEvent> s : streams.subList(1, streams.size())) out = out.union(s);
        return out;
    }

    /** One rule's operator (and its cooldown) over its selected events. */
    static DataStream<Alert> rule(Rule rule, DataStream<RuleEvent> events) {
        KeyedStream<RuleEvent, String> keyed = events.keyBy(e -> e.key, Types.STRING);
        String name = "Rule " + rule.id;
        DataStream<Alert> alerts = switch (rule.kind) {
            case THRESHOLD -> keyed.process(new ThresholdFunction(rule), TypeInformation.of(Alert.class)).uid(uid(rule)).name(name);
            case BASELINE -> keyed.process(new BaselineFunction(rule), TypeInformation.of(Alert.class)).uid(uid(rule)).name(name);
            case ABSENCE -> rule.match != null
                    ? keyed.process(new HeartbeatFunction(rule), TypeInformation.of(Alert.class)).uid(uid(rule)).name(name)
                    : afterExpect(keyed, rule);
            case COUNT -> cep(keyed, RulePatterns.count(rule), rule);
            case SEQUENCE -> cep(keyed, RulePatterns.sequence(rule), rule);
        };
        if (rule.cooldown.isZero()) return alerts;
        return alerts.keyBy(Alert::fingerprint, Types.STRING)
                .process(new CooldownFunction(rule.cooldown.toMillis()), TypeInformation.of(Alert.class))
                .uid(uid(rule) + "-cooldown")
                .name(name + " cooldown");
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
