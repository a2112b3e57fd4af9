package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.model.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the {@link Alert} a rule emits: labels from the key and the rule, annotations with {@code {{attribute}}} filled. */
public final class Alerts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
    /** At most this many matched events are listed on an alert; the summary still counts all of them. */
    static final int MAX_LISTED_EVENTS = 5;

    private Alerts() {}

    /** The attribute names a rule's annotation templates refer to (besides {@code value}, filled from the deciding value). */
    public static List<String> templateAttributes(Rule rule) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String template : rule.annotations.values()) {
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                if (!m.group(1).equals("value")) names.add(m.group(1));
            }
        }
        return List.copyOf(names);
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
        Map<String, String> labels = new LinkedHashMap<>();
        for (String by : rule.by) {
            String value = last.attributes.get(by);
            if (value != null) labels.put(by, value);
        }
        labels.putAll(rule.labels);
        alert.labels = labels;
        Map<String, String> annotations = new LinkedHashMap<>();
        rule.annotations.forEach((name, template) -> annotations.put(name, fill(template, labels, events, last.value)));
        alert.annotations = annotations;
        alert.summary = summary;
        int from = Math.max(0, events.size() - MAX_LISTED_EVENTS);
        for (RuleEvent e : events.subList(from, events.size())) alert.events.add(e.describe());
        return alert;
    }

    /** {@code {{name}}} from the labels, else the latest matched event that has it; {@code {{value}}} is the deciding value. */
    static String fill(String template, Map<String, String> labels, List<RuleEvent> events, double value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = name.equals("value") && !Double.isNaN(value) ? number(value) : labels.get(name);
            for (int i = events.size() - 1; replacement == null && i >= 0; i--) replacement = events.get(i).attributes.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A number as people write it: no trailing {@code .0}, at most three decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
