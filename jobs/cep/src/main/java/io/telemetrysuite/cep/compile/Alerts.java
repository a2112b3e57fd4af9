package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.AnnotationTemplate;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.model.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link Alert} a rule emits: labels from the key and the rule, annotations with {@code {{attribute}}} filled. */
public final class Alerts {
    /** At most this many matched events are listed on an alert; the summary still counts all of them. */
    static final int MAX_LISTED_EVENTS = 5;

    private Alerts() {}

    /** The attribute names a rule's annotation templates refer to (besides {@code value}, filled from the deciding value). */
    public static List<String> templateAttributes(Rule rule) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String template : rule.annotations.values()) names.addAll(AnnotationTemplate.names(template));
        names.remove("value");
        return List.copyOf(names);
    }

    /**
     * The template attributes that are not among the rule's {@code by}: the ones a {@link RuleEvent} must
     * carry in {@link RuleEvent#extra} (the {@code by} values are in its key). Usually none.
     */
    public static List<String> extraAttributes(Rule rule) {
        List<String> names = new java.util.ArrayList<>(templateAttributes(rule));
        names.removeAll(rule.by);
        return List.copyOf(names);
    }

    /**
     * The rule's {@code by} attributes and their values, read back from a {@link RuleEvent#key} that
     * {@link RuleSelector} built: one value is the key itself; several are each preceded by
     * {@link RuleSelector#KEY_SEPARATOR}. An attribute missing from the event (an empty value) is no
     * label, as in Prometheus, where an empty label is an absent one.
     */
    public static Map<String, String> labels(Rule rule, String key) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (rule.by.size() == 1) {
            if (!key.isEmpty()) labels.put(rule.by.get(0), key);
            return labels;
        }
        int from = 1;
        for (String by : rule.by) {
            if (from > key.length()) break;
            int to = key.indexOf(RuleSelector.KEY_SEPARATOR, from);
            if (to < 0) to = key.length();
            if (to > from) labels.put(by, key.substring(from, to));
            from = to + 1;
        }
        return labels;
    }

    /**
     * An alert of {@code rule} for the key of {@code last}, met at {@code eventTime}.
     *
     * @param events the matched events in event-time order (the first gives {@code startsAt} unless it is given)
     */
    public static Alert of(Rule rule, String status, long eventTime, long startsAt, List<RuleEvent> events, String summary) {
        RuleEvent last = events.get(events.size() - 1);
        Alert alert = new Alert();
        alert.ruleId = rule.id;
        alert.kind = rule.kind.yamlName();
        alert.severity = rule.severity.yamlName();
        alert.status = status;
        alert.eventTime = eventTime;
        alert.startsAt = startsAt;
        // Key attributes first, then the rule's static labels, which an operator wrote on purpose and so win.
        Map<String, String> labels = labels(rule, last.key);
        labels.putAll(rule.labels);
        alert.labels = labels;
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!rule.annotations.isEmpty()) {
            List<String> extra = extraAttributes(rule);
            rule.annotations.forEach((name, template) -> annotations.put(name, fill(template, labels, extra, events, last.value)));
        }
        alert.annotations = annotations;
        alert.summary = summary;
        int from = Math.max(0, events.size() - MAX_LISTED_EVENTS);
        for (RuleEvent e : events.subList(from, events.size())) alert.events.add(e.describe());
        return alert;
    }

    /**
     * The template filled as {@link AnnotationTemplate#render} does, from the labels first, then the latest
     * matched event that has the attribute; {@code {{value}}} is the deciding value.
     */
    static String fill(String template, Map<String, String> labels, List<String> extra, List<RuleEvent> events, double value) {
        Map<String, String> values = new java.util.HashMap<>();
        for (RuleEvent e : events) {
            if (e.extra == null) continue;
            for (int i = 0; i < extra.size() && i < e.extra.length; i++) {
                if (e.extra[i] != null) values.put(extra.get(i), e.extra[i]);
            }
        }
        values.putAll(labels);
        if (!Double.isNaN(value)) values.put("value", number(value));
        return AnnotationTemplate.render(template, values);
    }

    /** A number as people write it: no trailing {@code .0}, at most three decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
