package io.telemetrysuite.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One value of a YAML configuration file, with where it is: the file, its line and column, and its
 * field path from the root ({@code rules[3].allowed[0]}). Readers pull typed values out of it and
 * every refusal is a {@link ConfigException} that points at the offending value.
 *
 * <p>Reading is strict: a quoted {@code "8080"} is not an integer, {@code 5} is not a duration, an
 * unknown field is an error once the reader calls {@link #rejectUnknownFields(String...)}. A field
 * that is present but null ({@code timeout:} or {@code timeout: ~}) counts as absent for the {@code
 * optional...} readers and as "got null" for the {@code required...} ones.
 *
 * <p>{@link #mapElements(Function)} and {@link #mapEntries(Function)} keep going after an element
 * fails and then report every failed element at once, so a registry with three broken rules says so
 * in one run. Load a tree with {@link YamlConfig}.
 */
public final class ConfigNode {
    private final String source;
    private final String path;
    private final Node node;

    ConfigNode(String source, String path, Node node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /** The file or {@code classpath:} resource this value came from. */
    public String source() {
        return source;
    }

    /** The field path from the root, empty for the root itself. */
    public String path() {
        return path;
    }

    /** 1-based line of the value's start. */
    public int line() {
        return line(node);
    }

    /** 1-based column of the value's start. */
    public int column() {
        return column(node);
    }

    /** A problem with this value, positioned at it; the caller throws it. */
    public ConfigException error(String problem) {
        return new ConfigException(source, line(), column(), path, problem);
    }

    public boolean isNull() {
        return Tag.NULL.equals(node.getTag());
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    // ---- mappings ----

    /** Whether this mapping has {@code key}, even with a null value. */
    public boolean has(String key) {
        return find(key) != null;
    }

    /** The value of {@code key}; missing keys are an error positioned at this mapping. */
    public ConfigNode required(String key) {
        NodeTuple tuple = find(key);
        if (tuple == null) {
            throw new ConfigException(source, line(), column(), childPath(path, key), "required field is missing");
        }
        return new ConfigNode(source, childPath(path, key), tuple.getValueNode());
    }

    /** The value of {@code key}, or empty when it is missing or null. */
    public Optional<ConfigNode> optional(String key) {
        NodeTuple tuple = find(key);
        if (tuple == null || Tag.NULL.equals(tuple.getValueNode().getTag())) return Optional.empty();
        return Optional.of(new ConfigNode(source, childPath(path, key), tuple.getValueNode()));
    }

    /** This mapping's entries in file order. */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping().getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            entries.put(key, new ConfigNode(source, childPath(path, key), tuple.getValueNode()));
        }
        return entries;
    }

    /**
     * Each entry's value read by {@code reader}, in file order; every entry is read even when some
     * fail, and all failures are thrown together.
     */
    public <T> Map<String, T> mapEntries(Function<ConfigNode, T> reader) {
        Map<String, T> result = new LinkedHashMap<>();
        List<ConfigException> errors = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> entry : entries().entrySet()) {
            try {
                result.put(entry.getKey(), reader.apply(entry.getValue()));
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return result;
    }

    /**
     * Refuses any key of this mapping that is not in {@code allowed}, naming the closest allowed key
     * when one is close enough to be a typo. All unknown keys are reported together.
     */
    public ConfigNode rejectUnknownFields(String... allowed) {
        List<String> known = Arrays.asList(allowed);
        List<ConfigException> errors = new ArrayList<>();
        for (NodeTuple tuple : mapping().getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (known.contains(key)) continue;
            String suggestion = closest(key, known);
            String problem = "unknown field \"" + key + "\""
                    + (suggestion != null ? ", did you mean \"" + suggestion + "\"?"
                            : "; known fields: " + String.join(", ", known));
            errors.add(new ConfigException(source, line(tuple.getKeyNode()), column(tuple.getKeyNode()),
                    childPath(path, key), problem));
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return this;
    }

    // ---- sequences ----

    /** This list's elements. */
    public List<ConfigNode> elements() {
        if (!(node instanceof SequenceNode)) throw error("expected a list, got " + describe());
        List<ConfigNode> elements = new ArrayList<>();
        int i = 0;
        for (Node element : ((SequenceNode) node).getValue()) {
            elements.add(new ConfigNode(source, path + "[" + i++ + "]", element));
        }
        return elements;
    }

    /** This list's elements, or this value alone when it is a scalar ({@code signal: span} as well as {@code [span, log]}). */
    public List<ConfigNode> elementsOrSingle() {
        return node instanceof ScalarNode && !isNull() ? List.of(this) : elements();
    }

    /**
     * Each element read by {@code reader}, in order; every element is read even when some fail, and
     * all failures are thrown together.
     */
    public <T> List<T> mapElements(Function<ConfigNode, T> reader) {
        List<T> result = new ArrayList<>();
        List<ConfigException> errors = new ArrayList<>();
        for (ConfigNode element : elements()) {
            try {
                result.add(reader.apply(element));
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return result;
    }

    /** A list of strings (a lone string counts as a list of one). */
    public List<String> asStringList() {
        return node instanceof ScalarNode && !isNull() ? List.of(asString()) : mapElements(ConfigNode::asString);
    }

    // ---- scalars ----

    /** Any non-null scalar as written ({@code 8080} reads as "8080"). */
    public String asString() {
        if (!(node instanceof ScalarNode) || isNull()) throw error("expected a string, got " + describe());
        return ((ScalarNode) node).getValue();
    }

    /** A string that is not empty. */
    public String asNonEmptyString() {
        String value = asString();
        if (value.isEmpty()) throw error("expected a non-empty string, got \"\"");
        return value;
    }

    public int asInt() {
        long value = parseInteger("an integer");
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error("expected an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    public int asPositiveInt() {
        long value = parseInteger("a positive integer");
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw error("expected a positive integer up to " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    public long asLong() {
        return parseInteger("an integer");
    }

    public long asPositiveLong() {
        long value = parseInteger("a positive integer");
        if (value <= 0) throw error("expected a positive integer, got " + value);
        return value;
    }

    /** A finite number; integers are accepted. */
    public double asDouble() {
        return parseDouble("a number");
    }

    public double asPositiveDouble() {
        double value = parseDouble("a positive number");
        if (!(value > 0)) throw error("expected a positive number, got " + describe());
        return value;
    }

    public boolean asBoolean() {
        if (!Tag.BOOL.equals(node.getTag())) throw error("expected true or false, got " + describe() + quotedHint());
        return ((ScalarNode) node).getValue().toLowerCase(Locale.ROOT).equals("true");
    }

    /**
     * A duration written as a whole number and one unit: {@code 500ms}, {@code 30s}, {@code 5m},
     * {@code 1h} or {@code 2d}. A bare number is refused: the unit is never implied.
     */
    public Duration asDuration() {
        String text = node instanceof ScalarNode && !isNull() ? ((ScalarNode) node).getValue() : null;
        Duration parsed = text == null ? null : parseDuration(text);
        if (parsed == null) throw error("expected a duration such as 500ms, 30s, 5m, 1h or 2d, got " + describe());
        return parsed;
    }

    /** A duration greater than zero. */
    public Duration asPositiveDuration() {
        Duration value = asDuration();
        if (value.isZero()) throw error("expected a duration greater than zero, got " + describe());
        return value;
    }

    /** One of a fixed set of strings, compared exactly. */
    public String asOneOf(String... allowed) {
        String value = asString();
        for (String a : allowed) {
            if (a.equals(value)) return value;
        }
        String suggestion = closest(value, Arrays.asList(allowed));
        throw error("expected one of " + String.join(", ", allowed) + ", got " + describe()
                + (suggestion != null ? " (did you mean \"" + suggestion + "\"?)" : ""));
    }

    /**
     * A constant of {@code type} written in lower case ({@code reject} for {@code REJECT}, {@code
     * too_large} for {@code TOO_LARGE}).
     */
    public <E extends Enum<E>> E asEnum(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String[] names = new String[constants.length];
        for (int i = 0; i < constants.length; i++) names[i] = constants[i].name().toLowerCase(Locale.ROOT);
        String value = asOneOf(names);
        return constants[Arrays.asList(names).indexOf(value)];
    }

    // ---- shortcuts for mapping fields ----

    public String requiredString(String key) {
        return required(key).asString();
    }

    public String optionalString(String key, String defaultValue) {
        return optional(key).map(ConfigNode::asString).orElse(defaultValue);
    }

    public int requiredInt(String key) {
        return required(key).asInt();
    }

    public int optionalInt(String key, int defaultValue) {
        return optional(key).map(ConfigNode::asInt).orElse(defaultValue);
    }

    public long requiredLong(String key) {
        return required(key).asLong();
    }

    public long optionalLong(String key, long defaultValue) {
        return optional(key).map(ConfigNode::asLong).orElse(defaultValue);
    }

    public double requiredDouble(String key) {
        return required(key).asDouble();
    }

    public double optionalDouble(String key, double defaultValue) {
        return optional(key).map(ConfigNode::asDouble).orElse(defaultValue);
    }

    public boolean requiredBoolean(String key) {
        return required(key).asBoolean();
    }

    public boolean optionalBoolean(String key, boolean defaultValue) {
        return optional(key).map(ConfigNode::asBoolean).orElse(defaultValue);
    }

    public Duration requiredDuration(String key) {
        return required(key).asDuration();
    }

    public Duration optionalDuration(String key, Duration defaultValue) {
        return optional(key).map(ConfigNode::asDuration).orElse(defaultValue);
    }

    public String requiredOneOf(String key, String... allowed) {
        return required(key).asOneOf(allowed);
    }

    public String optionalOneOf(String key, String defaultValue, String... allowed) {
        return optional(key).map(n -> n.asOneOf(allowed)).orElse(defaultValue);
    }

    public <E extends Enum<E>> E requiredEnum(String key, Class<E> type) {
        return required(key).asEnum(type);
    }

    public <E extends Enum<E>> E optionalEnum(String key, Class<E> type, E defaultValue) {
        return optional(key).map(n -> n.asEnum(type)).orElse(defaultValue);
    }

    // ---- internals ----

    private MappingNode mapping() {
        if (!(node instanceof MappingNode)) throw error("expected a mapping, got " + describe());
        return (MappingNode) node;
    }

    private NodeTuple find(String key) {
        for (NodeTuple tuple : mapping().getValue()) {
            if (key.equals(((ScalarNode) tuple.getKeyNode()).getValue())) return tuple;
        }
        return null;
    }

    private long parseInteger(String expected) {
        if (Tag.INT.equals(node.getTag())) {
            String text = ((ScalarNode) node).getValue();
            try {
                if (text.startsWith("0x")) return Long.parseLong(text.substring(2), 16);
                if (text.startsWith("0o")) return Long.parseLong(text.substring(2), 8);
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException e) {
                throw error("expected " + expected + ", got " + text + " (out of range)");
            }
        }
        throw error("expected " + expected + ", got " + describe() + quotedHint());
    }

    private double parseDouble(String expected) {
        Tag tag = node.getTag();
        if (Tag.INT.equals(tag)) return parseInteger(expected);
        if (Tag.FLOAT.equals(tag)) {
            String text = ((ScalarNode) node).getValue();
            // Core-schema floats also match .inf and .nan, which no setting of ours means.
            try {
                double value = Double.parseDouble(text);
                if (Double.isFinite(value)) return value;
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw error("expected " + expected + ", got " + describe() + quotedHint());
    }

    /** {@code 30s} and the like, or null when the text is not a duration. */
    private static Duration parseDuration(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') digits++;
        if (digits == 0 || digits > 15) return null;
        long amount = Long.parseLong(text.substring(0, digits));
        switch (text.substring(digits)) {
            case "ms": return Duration.ofMillis(amount);
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            case "h": return Duration.ofHours(amount);
            case "d": return Duration.ofDays(amount);
            default: return null;
        }
    }

    /** A quoted number where a number is expected is a likely mistake worth naming. */
    private String quotedHint() {
        if (node instanceof ScalarNode && Tag.STR.equals(node.getTag()) && !((ScalarNode) node).isPlain()) {
            return " (a quoted string; remove the quotes)";
        }
        return "";
    }

    /** The value the way an error message shows it. */
    private String describe() {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        if (isNull()) return "null";
        String text = ((ScalarNode) node).getValue();
        if (!Tag.STR.equals(node.getTag())) return text;
        StringBuilder sb = new StringBuilder("\"");
        int limit = Math.min(text.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (limit < text.length()) sb.append("...");
        return sb.append('"').toString();
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    static int column(Node node) {
        return node.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
    }

    /** {@code parent.key}, or {@code parent["key.with.dots"]} when the key would make the path ambiguous. */
    static String childPath(String parent, String key) {
        boolean simple = !key.isEmpty();
        for (int i = 0; i < key.length() && simple; i++) {
            char c = key.charAt(i);
            simple = Character.isLetterOrDigit(c) || c == '_' || c == '-';
        }
        if (!simple) return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The candidate within a typo's reach of {@code word}, or null. */
    private static String closest(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int reach = Math.max(2, word.length() / 3);
        return bestDistance <= reach ? best : null;
    }

    /** Optimal-string-alignment distance: a swapped pair of letters ("maxLenght") costs one. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Override
    public String toString() {
        return source + ":" + line() + ":" + column() + " " + (path.isEmpty() ? "<root>" : path);
    }
}
