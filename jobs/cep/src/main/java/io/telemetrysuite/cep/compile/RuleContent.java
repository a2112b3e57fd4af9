package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Condition;
import io.telemetrysuite.cep.rule.EventMatch;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.SequenceStep;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * A rule's behaviour as one canonical text, and its hash: what {@link RuleCompiler#uid} derives a
 * rule's state identity from. Two rules are {@link Rule#equals equal} exactly when their texts are, and
 * the text is the same in every JVM and build: maps are written sorted ({@code Map.of} iterates in a
 * per-JVM random order) and enums by their YAML names, never by {@code hashCode}.
 */
public final class RuleContent {
    private RuleContent() {}

    /** The first 8 hex digits of the SHA-256 of {@link #canonical}: 32 bits, ample for the versions of one rule id. */
    public static String hash(Rule rule) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(rule).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Every property {@link Rule#equals} compares, one {@code name=value} line each; not the source position. */
    public static String canonical(Rule rule) {
        StringBuilder out = new StringBuilder();
        line(out, "id", rule.id);
        line(out, "kind", rule.kind.yamlName());
        line(out, "severity", rule.severity.yamlName());
        line(out, "match", match(rule.match));
        line(out, "by", String.join("\u0000", rule.by));
        line(out, "labels", map(rule.labels));
        line(out, "annotations", map(rule.annotations));
        line(out, "cooldown", duration(rule.cooldown));
        line(out, "condition", condition(rule.condition));
        line(out, "for", duration(rule.forDuration));
        line(out, "count", Integer.toString(rule.count));
        line(out, "within", duration(rule.within));
        StringBuilder steps = new StringBuilder();
        for (SequenceStep s : rule.steps) steps.append('[').append(match(s.match)).append(" if ").append(condition(s.condition)).append(']');
        line(out, "steps", steps.toString());
        line(out, "strict", Boolean.toString(rule.strict));
        line(out, "after", match(rule.after));
        line(out, "expect", match(rule.expect));
        line(out, "field", rule.field == null ? "-" : rule.field);
        line(out, "baseline", duration(rule.baseline));
        // Double.toString is exact and locale-free; equals compares with Double.compare, which this mirrors.
        line(out, "deviation", Double.toString(rule.deviation));
        line(out, "minSamples", Integer.toString(rule.minSamples));
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append('=').append(value).append('\n');
    }

    private static String match(@Nullable EventMatch m) {
        if (m == null) return "-";
        return m.signal.yamlName() + " fields" + map(m.fields) + " attributes" + map(m.attributes);
    }

    private static String condition(@Nullable Condition c) {
        if (c == null) return "-";
        // The value's type counts: equals tells the number 90 from the text "90".
        return c.field + " " + c.op.symbol() + " " + c.value.getClass().getSimpleName() + ":" + c.value;
    }

    private static String duration(@Nullable Duration d) {
        return d == null ? "-" : Long.toString(d.toMillis()) + "ms";
    }

    private static String map(Map<String, String> map) {
        return new TreeMap<>(map).toString();
    }
}
