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
 * the event ({@link RuleEvent}) to that rule's side output; events no rule selects go nowhere. This is
 * what keeps many rules cheap: an event is read once, and each rule's keyed operator only receives the
 * events its {@code match} (or steps, or after/expect) select.
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
    private final List<List<String>> templateAttributes;

    /** {@code rules.get(i)}'s events go to {@code outputs.get(i)}. */
    public RuleSelector(Signal signal, List<Rule> rules, List<OutputTag<RuleEvent>> outputs) {
        this.signal = signal;
        this.rules = List.copyOf(rules);
        this.outputs = List.copyOf(outputs);
        this.templateAttributes = rules.stream().map(Alerts::templateAttributes).toList();
    }

    @Override
    public void processElement(T event, Context ctx, Collector<RuleEvent> out) {
        for (int i = 0; i < rules.size(); i++) {
            RuleEvent selected = select(rules.get(i), templateAttributes.get(i), signal, event);
            if (selected != null) ctx.output(outputs.get(i), selected);
        }
    }

    /** What {@code rule} makes of {@code event}, or null when the rule does not read it. */
    public static RuleEvent select(Rule rule, List<String> templateAttributes, Signal signal, Object event) {
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
        e.timestamp = EventFields.timestampMillis(signal, event);
        e.flags = flags;
        e.value = value;
        e.signal = signal.yamlName();
        StringBuilder key = new StringBuilder();
        for (String by : rule.by) {
            String v = EventFields.attribute(signal, event, by);
            if (v != null) e.attributes.put(by, v);
            if (key.length() > 0 || rule.by.size() > 1) key.append(KEY_SEPARATOR);
            if (v != null) key.append(v);
        }
        e.key = key.toString();
        for (String name : templateAttributes) {
            if (!e.attributes.containsKey(name)) {
                String v = EventFields.attribute(signal, event, name);
                if (v != null) e.attributes.put(name, v);
            }
        }
        return e;
    }

    private static boolean matches(EventMatch match, Signal signal, Object event) {
        return match != null && match.matches(signal, event);
    }

    private static double number(Object value) {
        return value instanceof Double d ? d : Double.NaN;
    }
}
