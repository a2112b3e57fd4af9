package io.telemetrysuite.cep.rule;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One validated rule from a file in {@code cep-rules/}. Fields that a kind does not use are null (or
 * zero); {@link RuleLoader} guarantees the ones a kind needs are set:
 * <ul>
 *   <li>{@code threshold}: {@link #match}, {@link #condition}, {@link #forDuration};
 *   <li>{@code count}: {@link #match}, {@link #count}, {@link #within};
 *   <li>{@code sequence}: {@link #steps} (two or more), {@link #within}, {@link #strict}; {@link #match}
 *       is null (each step has its own);
 *   <li>{@code absence}: either {@link #match} and {@link #forDuration} (a heartbeat that stops), or
 *       {@link #after}, {@link #expect} and {@link #within} (a follow-up that never comes), then
 *       {@link #match} is null;
 *   <li>{@code baseline}: {@link #match}, {@link #field}, {@link #baseline}, {@link #deviation},
 *       {@link #forDuration}, {@link #minSamples}.
 * </ul>
 * Equality covers everything the rule does (not where it was written), so {@code rules apply} can tell
 * a modified rule from a kept one.
 */
public final class Rule implements Serializable {
    private static final long serialVersionUID = 1L;

    public String id;
    public RuleKind kind;
    public Severity severity;
    @Nullable public EventMatch match;
    /** Attribute names that key the rule; alerts carry them as labels. Empty: one key for all events. */
    public List<String> by = List.of();
    public Map<String, String> labels = Map.of();
    /** Annotation templates; {@code {{attribute}}} is filled from the alert's labels and matched events. */
    public Map<String, String> annotations = Map.of();
    /** No repeated alert for the same rule and key within this; zero when absent. */
    public Duration cooldown = Duration.ZERO;

    @Nullable public Condition condition;
    @Nullable public Duration forDuration;
    public int count;
    @Nullable public Duration within;
    public List<SequenceStep> steps = List.of();
    public boolean strict;
    @Nullable public EventMatch after;
    @Nullable public EventMatch expect;
    @Nullable public String field;
    @Nullable public Duration baseline;
    public double deviation;
    public int minSamples;

    /** Where the rule was written: the file, and the line of its {@code id}. Not part of equality. */
    public String sourceFile = "";
    public int sourceLine;

    public Rule() {}

    /** The signals whose events this rule reads. */
    public List<Signal> signals() {
        if (kind == RuleKind.SEQUENCE) return steps.stream().map(s -> s.match.signal).distinct().toList();
        if (match == null) return List.of(after.signal, expect.signal).stream().distinct().toList();
        return List.of(match.signal);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Rule r)) return false;
        return id.equals(r.id) && kind == r.kind && severity == r.severity && Objects.equals(match, r.match) && by.equals(r.by)
                && labels.equals(r.labels) && annotations.equals(r.annotations) && cooldown.equals(r.cooldown)
                && Objects.equals(condition, r.condition) && Objects.equals(forDuration, r.forDuration) && count == r.count
                && Objects.equals(within, r.within) && steps.equals(r.steps) && strict == r.strict && Objects.equals(after, r.after)
                && Objects.equals(expect, r.expect) && Objects.equals(field, r.field) && Objects.equals(baseline, r.baseline)
                && Double.compare(deviation, r.deviation) == 0 && minSamples == r.minSamples;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, match, condition);
    }

    @Override
    public String toString() {
        return "Rule{" + id + " " + kind.yamlName() + " " + severity.yamlName() + " (" + sourceFile + ":" + sourceLine + ")}";
    }
}
