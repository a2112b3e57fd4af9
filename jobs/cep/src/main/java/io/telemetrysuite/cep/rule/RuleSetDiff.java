package io.telemetrysuite.cep.rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changes between a running rule set and a new one, by rule id: added, removed, modified (same
 * id, different behaviour by {@link Rule#equals}, which ignores where the rule is written) and kept.
 * {@code rules apply} prints it before swapping rules, since a kept rule keeps its CEP state across
 * the savepoint and a modified or removed one loses it.
 */
public final class RuleSetDiff {
    /** A rule whose id stayed and whose behaviour changed, with the properties that differ. */
    public record Modified(Rule before, Rule after, List<String> changes) {}

    private final List<Rule> added = new ArrayList<>();
    private final List<Rule> removed = new ArrayList<>();
    private final List<Modified> modified = new ArrayList<>();
    private final List<Rule> kept = new ArrayList<>();

    private RuleSetDiff() {}

    /** The difference from {@code before} to {@code after}; added, modified and kept in {@code after}'s order, removed in {@code before}'s. */
    public static RuleSetDiff between(List<Rule> before, List<Rule> after) {
        Map<String, Rule> old = new LinkedHashMap<>();
        for (Rule r : before) old.put(r.id, r);
        Map<String, Rule> now = new LinkedHashMap<>();
        for (Rule r : after) now.put(r.id, r);
        RuleSetDiff diff = new RuleSetDiff();
        for (Rule r : after) {
            Rule was = old.get(r.id);
            if (was == null) diff.added.add(r);
            else if (was.equals(r)) diff.kept.add(r);
            else diff.modified.add(new Modified(was, r, changes(was, r)));
        }
        for (Rule r : before) {
            if (!now.containsKey(r.id)) diff.removed.add(r);
        }
        return diff;
    }

    public List<Rule> added() {
        return List.copyOf(added);
    }

    public List<Rule> removed() {
        return List.copyOf(removed);
    }

    public List<Modified> modified() {
        return List.copyOf(modified);
    }

    public List<Rule> kept() {
        return List.copyOf(kept);
    }

    /** Whether applying the new set changes nothing. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
    }

    /**
     * One line per rule, changes first: {@code + id (kind, file:line)} added, {@code - id} removed,
     * {@code ~ id: for 2m -> 5m; ...} modified, {@code = id} kept; then the counts.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Rule r : added) lines.add("+ " + r.id + " (" + r.kind.yamlName() + ", " + r.sourceFile + ":" + r.sourceLine + ")");
        for (Rule r : removed) lines.add("- " + r.id + " (" + r.kind.yamlName() + ")");
        for (Modified m : modified) lines.add("~ " + m.after().id + ": " + String.join("; ", m.changes()));
        for (Rule r : kept) lines.add("= " + r.id);
        lines.add(summary());
        return lines;
    }

    /** {@code 1 added, 0 removed, 2 modified, 7 kept}. */
    public String summary() {
        return added.size() + " added, " + removed.size() + " removed, " + modified.size() + " modified, " + kept.size() + " kept";
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }

    private static final Map<String, Function<Rule, Object>> PROPERTIES = properties();

    private static Map<String, Function<Rule, Object>> properties() {
        Map<String, Function<Rule, Object>> p = new LinkedHashMap<>();
        p.put("kind", r -> r.kind == null ? null : r.kind.yamlName());
        p.put("severity", r -> r.severity == null ? null : r.severity.yamlName());
        p.put("match", r -> r.match);
        p.put("by", r -> r.by);
        p.put("labels", r -> r.labels);
        p.put("annotations", r -> r.annotations);
        p.put("cooldown", r -> r.cooldown);
        p.put("condition", r -> r.condition);
        p.put("for", r -> r.forDuration);
        p.put("count", r -> r.count);
        p.put("within", r -> r.within);
        p.put("steps", r -> r.steps.stream().map(s -> s.match + (s.condition == null ? "" : " if " + s.condition)).toList());
        p.put("strict", r -> r.strict);
        p.put("after", r -> r.after);
        p.put("expect", r -> r.expect);
        p.put("field", r -> r.field);
        p.put("baseline", r -> r.baseline);
        p.put("deviation", r -> r.deviation);
        p.put("minSamples", r -> r.minSamples);
        return p;
    }

    /** The properties that differ, as {@code name old -> new}, durations written the way rule files write them. */
    private static List<String> changes(Rule before, Rule after) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, Function<Rule, Object>> p : PROPERTIES.entrySet()) {
            Object a = p.getValue().apply(before);
            Object b = p.getValue().apply(after);
            if (!Objects.equals(a, b)) changes.add(p.getKey() + " " + show(a) + " -> " + show(b));
        }
        return changes;
    }

    private static String show(Object value) {
        if (value == null) return "(none)";
        if (value instanceof java.time.Duration d) return Durations.format(d);
        return value.toString();
    }
}
