package io.telemetrysuite.ingest.validate;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One rule of the semantic-conventions registry: which attribute, on which signals and under which
 * condition, must be present, of which type, with which values; and whether breaking it tags the item
 * or rejects it. Immutable and serializable; {@link ConventionValidator} evaluates it.
 *
 * <p>The lookups the hot path needs are precomputed here: {@code allowed} as a hash set (strings) or
 * sorted array (ints), the span kinds of {@code when} in both spellings OTLP uses ({@code SERVER} and
 * {@code SPAN_KIND_SERVER}), and the expected values of {@code when.equals} in every type they could
 * be compared with.
 */
public final class ConventionRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where the attribute lives. */
    public enum Scope { ATTRIBUTE, RESOURCE }

    /**
     * How much the attribute is asked for. A missing {@code required} attribute breaks the rule with
     * its {@code onViolation} policy; a missing {@code recommended} one is always only tagged (a
     * recommendation is never a reason to drop data); a missing {@code optional} one is fine. Empty
     * strings count as missing: an empty {@code service.name} groups no better than none.
     */
    public enum Requirement { REQUIRED, RECOMMENDED, OPTIONAL }

    /** OTLP AnyValue types a rule can ask for; {@code double} accepts integers too (SDKs send 1 for 1.0). */
    public enum AttributeType { STRING, INT, DOUBLE, BOOLEAN, ARRAY }

    /** What breaking the rule does to the item. */
    public enum OnViolation { TAG, REJECT }

    static final String[] FIELDS = {"id", "signal", "when", "attribute", "scope", "requirement", "type", "allowed", "maxLength", "onViolation"};
    private static final String[] SPAN_KINDS = {"INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER", "UNSPECIFIED"};

    final String id;
    final Set<Signal> signals;
    final String attribute;
    final Scope scope;
    final Requirement requirement;
    /** Null when the rule does not check the type. */
    final AttributeType type;
    /** Null unless the rule has {@code allowed} and type string. */
    final Set<String> allowedStrings;
    /** Null unless the rule has {@code allowed} and type int; sorted. */
    final long[] allowedInts;
    /** {@code allowed} as written, for messages. */
    final String allowedText;
    /** 0 when unlimited. */
    final int maxLength;
    final OnViolation onViolation;
    final Condition when;

    private ConventionRule(ConfigNode node) {
        node.rejectUnknownFields(FIELDS);
        id = node.required("id").asNonEmptyString();
        ConfigNode signalNode = node.required("signal");
        List<Signal> signalList = signalNode.elementsOrSingle().stream().map(n -> n.asEnum(Signal.class)).toList();
        if (signalList.isEmpty()) throw signalNode.error("expected span, metric, log or a list of them, got an empty list");
        signals = EnumSet.copyOf(signalList);
        attribute = node.optional("attribute").map(ConfigNode::asNonEmptyString).orElse(id);
        scope = node.optionalEnum("scope", Scope.class, Scope.ATTRIBUTE);
        requirement = node.optionalEnum("requirement", Requirement.class, Requirement.OPTIONAL);
        type = node.optionalEnum("type", AttributeType.class, null);
        onViolation = node.optionalEnum("onViolation", OnViolation.class, OnViolation.TAG);

        ConfigNode allowedNode = node.optional("allowed").orElse(null);
        if (allowedNode != null && type != AttributeType.STRING && type != AttributeType.INT) {
            throw allowedNode.error("allowed needs type string or int, the rule has " + typeName(type));
        }
        allowedStrings = allowedNode != null && type == AttributeType.STRING ? new HashSet<>(allowedNode.asStringList()) : null;
        allowedInts = allowedNode != null && type == AttributeType.INT
                ? allowedNode.mapElements(ConfigNode::asLong).stream().mapToLong(Long::longValue).sorted().toArray() : null;
        allowedText = allowedNode == null ? "" : String.join(", ", allowedNode.asStringList());

        ConfigNode maxLengthNode = node.optional("maxLength").orElse(null);
        if (maxLengthNode != null && type != AttributeType.STRING) {
            throw maxLengthNode.error("maxLength needs type string, the rule has " + typeName(type));
        }
        maxLength = maxLengthNode == null ? 0 : maxLengthNode.asPositiveInt();

        when = node.optional("when").map(w -> new Condition(w, signals)).orElse(null);

        if (requirement == Requirement.OPTIONAL && type == null) {
            // allowed and maxLength need a type, so such a rule would check nothing at all.
            throw node.error("rule " + id + " checks nothing: give it requirement required or recommended, or a type");
        }
    }

    /** Reads one rule from its registry entry. */
    static ConventionRule fromConfig(ConfigNode node) {
        return new ConventionRule(node);
    }

    public String id() {
        return id;
    }

    public Set<Signal> signals() {
        return signals;
    }

    public String attribute() {
        return attribute;
    }

    public Scope scope() {
        return scope;
    }

    public Requirement requirement() {
        return requirement;
    }

    public OnViolation onViolation() {
        return onViolation;
    }

    private static String typeName(AttributeType type) {
        return type == null ? "no type" : "type " + type.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ConventionRule{" + id + " " + signals + " " + scope + " " + attribute + " " + requirement
                + (type != null ? " " + type : "") + " " + onViolation + "}";
    }

    /**
     * The {@code when} of a rule: every condition given must hold for the rule to apply. {@code
     * present} and {@code equals} look at the item's attributes, then the resource's.
     */
    static final class Condition implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Both spellings of each kind; null when the rule is not scoped by span kind. */
        final Set<String> spanKinds;
        final String[] present;
        final String[] equalsKeys;
        final Expected[] equalsValues;

        Condition(ConfigNode node, Set<Signal> signals) {
            node.rejectUnknownFields("spanKind", "present", "equals");
            ConfigNode kinds = node.optional("spanKind").orElse(null);
            if (kinds != null && !signals.equals(EnumSet.of(Signal.SPAN))) {
                throw kinds.error("spanKind applies only to rules whose signal is span alone");
            }
            if (kinds == null) {
                spanKinds = null;
            } else {
                spanKinds = new HashSet<>();
                for (ConfigNode kind : kinds.elementsOrSingle()) {
                    String name = kind.asOneOf(SPAN_KINDS);
                    spanKinds.add(name);
                    spanKinds.add("SPAN_KIND_" + name);
                }
            }
            present = node.optional("present").map(ConfigNode::asStringList).orElse(List.of()).toArray(new String[0]);
            Map<String, Expected> equals = node.optional("equals").map(n -> n.mapEntries(v -> new Expected(v.asString())))
                    .orElse(new LinkedHashMap<>());
            equalsKeys = equals.keySet().toArray(new String[0]);
            equalsValues = equals.values().toArray(new Expected[0]);
            if (spanKinds == null && present.length == 0 && equalsKeys.length == 0) {
                throw node.error("when needs at least one of spanKind, present, equals");
            }
        }

        @Override
        public String toString() {
            return "when{kinds=" + spanKinds + " present=" + Arrays.toString(present) + " equals=" + Arrays.toString(equalsKeys) + "}";
        }
    }

    /** An expected attribute value, parsed once into every type an attribute could carry it as. */
    static final class Expected implements Serializable {
        private static final long serialVersionUID = 1L;

        final String text;
        /** Null when the text is not an integer. */
        final Long asLong;
        /** Null when the text is not a number. */
        final Double asDouble;

        Expected(String text) {
            this.text = text;
            this.asLong = parseLong(text);
            this.asDouble = parseDouble(text);
        }

        private static Long parseLong(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static Double parseDouble(String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Reads every rule of a registry's {@code rules} list; rule ids must be unique. */
    static List<ConventionRule> readAll(ConfigNode rulesNode) {
        List<ConventionRule> rules = rulesNode.mapElements(ConventionRule::fromConfig);
        List<ConfigException> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<ConfigNode> elements = rulesNode.elements();
        for (int i = 0; i < rules.size(); i++) {
            String id = rules.get(i).id;
            if (!ids.add(id) || id.equals(ConventionRegistry.LIMIT_RULE_ID)) {
                errors.add(elements.get(i).required("id").error("duplicate rule id \"" + id + "\""
                        + (id.equals(ConventionRegistry.LIMIT_RULE_ID) ? " (reserved for the value-length limit)" : "")));
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return rules;
    }
}
