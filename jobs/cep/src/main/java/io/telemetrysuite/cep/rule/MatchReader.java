package io.telemetrysuite.cep.rule;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of a rule that name event fields ({@code match}, {@code condition}, a baseline's
 * {@code field}) and checks each name against {@link EventFields} and each literal against the
 * field's type, so that a rule that loads can only compare what the events really carry.
 */
final class MatchReader {
    private static final String[] SIGNALS = Arrays.stream(Signal.values()).map(Signal::yamlName).toArray(String[]::new);
    private static final String[] OPERATORS = Arrays.stream(Operator.values()).map(Operator::symbol).toArray(String[]::new);

    private MatchReader() {}

    /** {@code match: {signal: span, name: checkout, attributes: {...}}}; every problem goes to {@code problems}, and then null is returned. */
    static EventMatch match(ConfigNode node, Problems problems) {
        int before = problems.size();
        if (!node.isMap()) {
            problems.add(node.error("expected a mapping with signal and the fields to match, got " + kindOf(node)));
            return null;
        }
        Signal signal = problems.attempt(() -> signal(node.required("signal")));
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        if (signal != null) {
            List<String> allowed = new ArrayList<>(EventFields.names(signal));
            allowed.add("signal");
            allowed.add("attributes");
            problems.run(() -> rejectUnknown(node, signal, allowed));
            for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
                String key = e.getKey();
                if (key.equals("signal") || key.equals("attributes")) continue;
                FieldType type = EventFields.type(signal, key);
                if (type == null) continue;
                String value = problems.attempt(() -> matchValue(e.getValue(), type));
                if (value != null) fields.put(key, value);
            }
        }
        node.optional("attributes").ifPresent(a -> {
            if (!a.isMap()) {
                problems.add(a.error("expected a mapping of attribute names to values, got " + kindOf(a)));
                return;
            }
            for (Map.Entry<String, ConfigNode> e : a.entries().entrySet()) {
                if (e.getKey().isBlank()) problems.add(e.getValue().error("attribute names must not be empty"));
                String value = problems.attempt(() -> e.getValue().asString());
                if (value != null) attributes.put(e.getKey(), value);
            }
        });
        if (problems.size() > before) return null;
        return new EventMatch(signal, Collections.unmodifiableMap(fields), Collections.unmodifiableMap(attributes));
    }

    /** {@code condition: {field: cpuPercent, op: ">", value: 90}} on {@code signal}'s events; null after noting problems. */
    static Condition condition(ConfigNode node, Signal signal, Problems problems) {
        int before = problems.size();
        if (!node.isMap()) {
            problems.add(node.error("expected a mapping {field, op, value}, got " + kindOf(node)));
            return null;
        }
        problems.run(() -> node.rejectUnknownFields("field", "op", "value"));
        String field = problems.attempt(() -> field(node.required("field"), signal, null));
        Operator op = problems.attempt(() -> operator(node.required("op")));
        ConfigNode valueNode = problems.attempt(() -> node.required("value"));
        if (field == null || valueNode == null) return null;
        FieldType type = EventFields.type(signal, field);
        if (op != null && op.isOrdering() && type != FieldType.NUMBER) {
            problems.add(node.required("op").error("\"" + op.symbol() + "\" orders numbers, but " + field + " is a "
                    + type.name().toLowerCase() + "; use == or !="));
        }
        Object value = problems.attempt(() -> literal(valueNode, type, field));
        if (problems.size() > before) return null;
        return new Condition(field, op, value);
    }

    /**
     * A field name of {@code signal}'s events; with {@code required} set, also of that type (a
     * baseline needs a number).
     */
    static String field(ConfigNode node, Signal signal, FieldType required) {
        String name = node.asNonEmptyString();
        FieldType type = EventFields.type(signal, name);
        if (type == null) {
            throw node.error("unknown field \"" + name + "\" for signal " + signal.yamlName() + "; its fields: " + knownFields(signal));
        }
        if (required != null && type != required) {
            throw node.error(name + " is a " + type.name().toLowerCase() + " field; expected a " + required.name().toLowerCase()
                    + " field of " + signal.yamlName() + " events");
        }
        return name;
    }

    private static Operator operator(ConfigNode node) {
        if (node.asString().equals("=")) throw node.error("expected one of " + String.join(", ", OPERATORS) + ", got \"=\" (equality is ==)");
        return Operator.ofSymbol(node.asOneOf(OPERATORS));
    }

    static Signal signal(ConfigNode node) {
        return Signal.values()[Arrays.asList(SIGNALS).indexOf(node.asOneOf(SIGNALS))];
    }

    /** The literal of a condition: Double, String or Boolean as {@code type} says. */
    private static Object literal(ConfigNode node, FieldType type, String field) {
        return switch (type) {
            case NUMBER -> number(node, field);
            case BOOLEAN -> bool(node, field);
            case STRING -> string(node, field);
        };
    }

    /** An equality value of {@code match}, kept as text: numbers in a canonical form so that {@code 5e2} and {@code 500} are the same rule. */
    private static String matchValue(ConfigNode node, FieldType type) {
        String field = node.path().substring(node.path().lastIndexOf('.') + 1);
        return switch (type) {
            case NUMBER -> canonical(number(node, field));
            case BOOLEAN -> Boolean.toString(bool(node, field));
            case STRING -> string(node, field);
        };
    }

    private static double number(ConfigNode node, String field) {
        try {
            return node.asDouble();
        } catch (ConfigException e) {
            throw node.error(field + " is a number field; " + e.getProblem());
        }
    }

    private static boolean bool(ConfigNode node, String field) {
        try {
            return node.asBoolean();
        } catch (ConfigException e) {
            throw node.error(field + " is a boolean field; " + e.getProblem());
        }
    }

    /** Text; an unquoted number or boolean is refused, since it means the wrong field was named more often than not. */
    private static String string(ConfigNode node, String field) {
        String text = node.asString();
        if (isTyped(node)) {
            throw node.error(field + " is a string field, got " + text + "; quote it (\"" + text + "\") to compare text");
        }
        return text;
    }

    /** Whether a scalar is a YAML number or boolean rather than a string (ConfigNode's typed readers accept only those). */
    private static boolean isTyped(ConfigNode node) {
        try {
            node.asDouble();
            return true;
        } catch (ConfigException notNumber) {
            try {
                node.asBoolean();
                return true;
            } catch (ConfigException notBoolean) {
                return false;
            }
        }
    }

    static String canonical(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static void rejectUnknown(ConfigNode node, Signal signal, List<String> allowed) {
        try {
            node.rejectUnknownFields(allowed.toArray(String[]::new));
        } catch (ConfigException e) {
            List<ConfigException> rewritten = new ArrayList<>();
            for (ConfigException p : e.getProblems()) {
                // ConfigNode's message is 'unknown field "x", did you mean "y"?' or 'unknown field "x"; known fields: ...'.
                String problem = p.getProblem();
                int quoteEnd = problem.indexOf('"', "unknown field \"".length());
                String head = problem.substring(0, quoteEnd + 1);
                String rest = problem.substring(quoteEnd + 1);
                String suggestion = rest.startsWith(", did you mean") ? " (" + rest.substring(2) + ")" : "";
                rewritten.add(new ConfigException(p.getFile(), p.getLine(), p.getColumn(), p.getField(), head + " for signal "
                        + signal.yamlName() + suggestion + "; its fields: " + knownFields(signal) + " (besides signal and attributes)"));
            }
            throw ConfigException.combine(rewritten);
        }
    }

    static String knownFields(Signal signal) {
        return String.join(", ", EventFields.names(signal));
    }

    static String kindOf(ConfigNode node) {
        if (node.isMap()) return "a mapping";
        if (node.isList()) return "a list";
        if (node.isNull()) return "null";
        return "\"" + node.asString() + "\"";
    }
}
