package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.EventFields;
import io.telemetrysuite.cep.rule.EventMatch;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.Signal;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Evaluates every rule that reads one signal on each of its events, once, and sends the rule's view of
 * the event ({@link RuleEvent}) to that rule's side output, or, for the rules that share an
 * {@link OrderedRules} operator, all their views in one {@link GroupEvent} to the group's; events no rule
 * selects go nowhere. This is what keeps many rules cheap: an event is read once, and each keyed
 * operator only receives the events its rules' {@code match} (or steps, or after/expect) select.
 *
 * <p>The main output is unused (nothing is emitted to it).
 */
public final class RuleSelector<T> extends ProcessFunction<T, RuleEvent> {
    private static final long serialVersionUID = 1L;
    /** Separates the values of a composite key; a control character cannot occur in an attribute we key by in practice. */
    static final char KEY_SEPARATOR = '\u001f';

    private final Signal signal;
    private final List<Rule> rules;
    private final List<OutputTag<RuleEvent>> outputs;
    private final List<List<String>> extraAttributes;
    private final List<Group> groups;

    /**
     * The rules of one {@link OrderedRules} operator: each event any of them selects goes to
     * {@code output} as one {@link GroupEvent}.
     */
    public static final class Group implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final List<Rule> rules;
        final List<String> by;
        final String[] ruleIds;
        final List<List<String>> extraAttributes;
        final OutputTag<GroupEvent> output;

        public Group(List<Rule> rules, OutputTag<GroupEvent> output) {
            this.rules = List.copyOf(rules);
            this.by = rules.get(0).by;
            this.ruleIds = rules.stream().map(RuleCompiler::uid).toArray(String[]::new);
            this.extraAttributes = rules.stream().map(Alerts::extraAttributes).toList();
            this.output = output;
        }
    }

    /** {@code rules.get(i)}'s events go to {@code outputs.get(i)}; each group's to its own output. */
    public RuleSelector(Signal signal, List<Rule> rules, List<OutputTag<RuleEvent>> outputs, List<Group> groups) {
        this.signal = signal;
        this.rules = List.copyOf(rules);
        this.outputs = List.copyOf(outputs);
        this.extraAttributes = rules.stream().map(Alerts::extraAttributes).toList();
        this.groups = List.copyOf(groups);
    }

    @Override
    public void processElement(T event, Context ctx, Collector<RuleEvent> out) {
        for (int i = 0; i < rules.size(); i++) {
            RuleEvent selected = select(rules.get(i), extraAttributes.get(i), signal, event);
            if (selected != null) ctx.output(outputs.get(i), selected);
        }
        for (Group group : groups) {
            GroupEvent g = null;
            for (int i = 0; i < group.rules.size(); i++) {
                RuleEvent e = judge(group.rules.get(i), group.extraAttributes.get(i), signal, event);
                if (e == null) continue;
                if (g == null) {
                    g = new GroupEvent();
                    g.key = key(group.by, signal, event);
                    g.timestamp = EventFields.timestampMillis(signal, event);
                    g.ruleIds = group.ruleIds;
                    g.events = new RuleEvent[group.ruleIds.length];
                }
                e.key = g.key;
                e.timestamp = g.timestamp;
                g.events[i] = e;
            }
            if (g != null) ctx.output(group.output, g);
        }
    }

    /**
     * What {@code rule} makes of {@code event}, or null when the rule does not read it.
     *
     * @param extraAttributes {@link Alerts#extraAttributes} of the rule
     */
    public static RuleEvent select(Rule rule, List<String> extraAttributes, Signal signal, Object event) {
        RuleEvent e = judge(rule, extraAttributes, signal, event);
        if (e == null) return null;
        e.timestamp = EventFields.timestampMillis(signal, event);
        e.key = key(rule.by, signal, event);
        return e;
    }

    /** As {@link #select}, without the key and timestamp (a group sets its shared ones). */
    static RuleEvent judge(Rule rule, List<String> extraAttributes, Signal signal, Object event) {
        int flags;
        double value = Double.NaN;
        switch (rule.kind) {
            case THRESHOLD -> {
                if (!rule.match.matches(signal, event)) return null;
                flags = rule.condition.test(signal, event) ? RuleEvent.HOLDS : 0;
                value = number(EventFields.value(signal, event, rule.condition.field));
            }
            case COUNT -> {
                if (!rule.match.matches(signal, event) || (rule.condition != null && !rule.condition.test(signal, event))) return null;
                flags = RuleEvent.HOLDS;
            }
            case SEQUENCE -> {
                // An event matching some step's selector is one of this rule's events even if no step accepts
                // it (its condition fails): under strict it is an "other event" that breaks the sequence.
                boolean selected = false;
                flags = 0;
                for (int s = 0; s < rule.steps.size(); s++) {
                    if (rule.steps.get(s).match.matches(signal, event)) {
                        selected = true;
                        if (rule.steps.get(s).accepts(signal, event)) flags |= 1 << s;
                    }
                }
                if (!selected) return null;
            }
            case ABSENCE -> {
                if (rule.match != null) {
                    if (!rule.match.matches(signal, event)) return null;
                    flags = RuleEvent.HOLDS;
                } else {
                    flags = (matches(rule.after, signal, event) ? RuleEvent.AFTER : 0) | (matches(rule.expect, signal, event) ? RuleEvent.EXPECT : 0);
                    if (flags == 0) return null;
                }
            }
            case BASELINE -> {
                if (!rule.match.matches(signal, event)) return null;
                value = number(EventFields.value(signal, event, rule.field));
                if (Double.isNaN(value)) return null;
                flags = RuleEvent.HOLDS;
            }
            default -> throw new IllegalStateException("unknown kind " + rule.kind);
        }
        RuleEvent e = new RuleEvent();
        e.flags = flags;
        e.value = value;
        e.signal = signal;
        if (!extraAttributes.isEmpty()) {
            e.extra = new String[extraAttributes.size()];
            for (int i = 0; i < e.extra.length; i++) e.extra[i] = EventFields.attribute(signal, event, extraAttributes.get(i));
        }
        return e;
    }

    /**
     * The values of {@code by} on the event, joined: one attribute's value as it is (the common case, no
     * copy); several each preceded by {@link #KEY_SEPARATOR}, so that {@link Alerts#labels} can split them
     * again and a missing value cannot shift the others. A missing attribute is an empty value.
     */
    static String key(List<String> by, Signal signal, Object event) {
        if (by.isEmpty()) return "";
        if (by.size() == 1) {
            String v = EventFields.attribute(signal, event, by.get(0));
            return v == null ? "" : v;
        }
        StringBuilder key = new StringBuilder();
        for (String name : by) {
            String v = EventFields.attribute(signal, event, name);
            key.append(KEY_SEPARATOR);
            if (v != null) key.append(v);
        }
        return key.toString();
    }

    private static boolean matches(EventMatch match, Signal signal, Object event) {
        return match != null && match.matches(signal, event);
    }

    private static double number(Object value) {
        return value instanceof Double d ? d : Double.NaN;
    }
}
