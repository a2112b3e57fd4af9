package io.telemetrysuite.cep.rule;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one entry of a file's {@code rules:} list into a {@link Rule}, checking everything that can be
 * checked without the other rules (duplicate ids are {@link RuleLoader}'s). Every problem of the
 * entry is noted, not just the first.
 */
final class RuleReader {
    static final List<String> COMMON_KEYS = List.of("id", "kind", "severity", "match", "by", "labels", "annotations", "cooldown");
    static final Map<RuleKind, List<String>> KIND_KEYS = Map.of(
            RuleKind.THRESHOLD, List.of("condition", "for"),
            RuleKind.COUNT, List.of("count", "within"),
            RuleKind.SEQUENCE, List.of("steps", "within", "strict"),
            RuleKind.ABSENCE, List.of("for", "after", "expect", "within"),
            RuleKind.BASELINE, List.of("field", "baseline", "deviation", "for", "minSamples"));
    /** Labels every alert gets from the rule itself; a static label of that name would be ambiguous. */
    static final List<String> RESERVED_LABELS = List.of("alertname", "severity");
    static final int DEFAULT_MIN_SAMPLES = 30;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field \"(.*)\"(,|;).*", Pattern.DOTALL);
    private static final String[] KINDS = Arrays.stream(RuleKind.values()).map(RuleKind::yamlName).toArray(String[]::new);

    private final ConfigNode node;
    private final Problems problems;

    private RuleReader(ConfigNode node, Problems problems) {
        this.node = node;
        this.problems = problems;
    }

    /** The rule of {@code node}, or null after noting in {@code problems} why it is not one. */
    static Rule read(ConfigNode node, Problems problems) {
        if (!node.isMap()) {
            problems.add(node.error("expected a rule (a mapping with id, kind, severity, ...), got " + MatchReader.kindOf(node)));
            return null;
        }
        int before = problems.size();
        Rule rule = new RuleReader(node, problems).read();
        return problems.size() > before ? null : rule;
    }

    private Rule read() {
        Rule rule = new Rule();
        rule.sourceFile = node.source();
        rule.id = attempt("id", n -> {
            String id = n.asNonEmptyString();
            if (!ID.matcher(id).matches()) {
                throw n.error("expected an id of letters, digits, '.', '_' and '-' starting with a letter or digit, got \"" + id + "\"");
            }
            return id;
        });
        node.optional("id").ifPresent(n -> rule.sourceLine = n.line());
        rule.kind = attempt("kind", n -> RuleKind.values()[Arrays.asList(KINDS).indexOf(n.asOneOf(KINDS))]);
        rule.severity = problems.attempt(() -> node.requiredEnum("severity", Severity.class));
        rejectUnknownKeys(rule.kind);

        rule.by = optional("by", this::by, List.of());
        rule.labels = optional("labels", n -> labels(n, rule.by), Map.of());
        rule.annotations = optional("annotations", n -> annotations(n, rule.by, rule.labels), Map.of());
        rule.cooldown = optional("cooldown", ConfigNode::asDuration, Duration.ZERO);
        if (rule.kind == null) return rule;

        if (rule.kind != RuleKind.SEQUENCE && !(rule.kind == RuleKind.ABSENCE && node.has("after"))) {
            rule.match = attempt("match", n -> MatchReader.match(n, problems));
        }
        // A match with a bad field still names its signal, so the condition and field are checked against it too.
        Signal signal = rule.match != null ? rule.match.signal : signalOf(node.optional("match").orElse(null));
        switch (rule.kind) {
            case THRESHOLD -> {
                if (signal != null) rule.condition = attempt("condition", n -> MatchReader.condition(n, signal, problems));
                else required("condition");
                rule.forDuration = optional("for", ConfigNode::asDuration, Duration.ZERO);
            }
            case COUNT -> {
                rule.count = intOrZero(attempt("count", n -> {
                    try {
                        return n.asPositiveInt();
                    } catch (ConfigException e) {
                        throw n.error(e.getProblem() + " (a count rule fires on at least this many events, so 1 or more)");
                    }
                }));
                rule.within = attempt("within", ConfigNode::asPositiveDuration);
            }
            case SEQUENCE -> {
                rule.steps = attempt("steps", this::steps);
                if (rule.steps == null) rule.steps = List.of();
                rule.within = attempt("within", ConfigNode::asPositiveDuration);
                rule.strict = optional("strict", ConfigNode::asBoolean, false);
            }
            case ABSENCE -> readAbsence(rule);
            case BASELINE -> {
                if (signal != null) rule.field = attempt("field", n -> MatchReader.field(n, signal, FieldType.NUMBER));
                else required("field");
                rule.baseline = attempt("baseline", ConfigNode::asPositiveDuration);
                rule.deviation = doubleOrZero(attempt("deviation", n -> {
                    try {
                        return n.asPositiveDouble();
                    } catch (ConfigException e) {
                        throw n.error(e.getProblem() + " (standard deviations from the baseline mean)");
                    }
                }));
                rule.forDuration = optional("for", ConfigNode::asDuration, Duration.ZERO);
                rule.minSamples = optional("minSamples", n -> {
                    int value = n.asInt();
                    if (value < 2) throw n.error("expected at least 2 (a standard deviation needs two samples), got " + value);
                    return value;
                }, DEFAULT_MIN_SAMPLES);
            }
        }
        return rule;
    }

    /** A heartbeat ({@code match} + {@code for}) or a follow-up ({@code after} + {@code expect} + {@code within}), never a mix. */
    private void readAbsence(Rule rule) {
        if (node.has("after")) {
            for (String key : List.of("match", "for")) {
                if (node.has(key)) {
                    problems.add(node.required(key).error("an absence rule with after takes expect and within, not " + key
                            + " (match with for is the other form: a heartbeat that stops)"));
                }
            }
            rule.after = attempt("after", n -> MatchReader.match(n, problems));
            rule.expect = attempt("expect", n -> MatchReader.match(n, problems));
            rule.within = attempt("within", ConfigNode::asPositiveDuration);
        } else {
            for (String key : List.of("expect", "within")) {
                if (node.has(key)) {
                    problems.add(node.required(key).error("an absence rule takes " + key
                            + " only together with after (the follow-up form); a heartbeat rule takes match and for"));
                }
            }
            rule.forDuration = attempt("for", ConfigNode::asPositiveDuration);
        }
    }

    private List<SequenceStep> steps(ConfigNode list) {
        List<ConfigNode> elements = list.elements();
        if (elements.size() < 2) {
            throw list.error("a sequence needs at least two steps, got " + elements.size()
                    + (elements.size() == 1 ? " (one step alone is a count rule with count: 1)" : ""));
        }
        List<SequenceStep> steps = new ArrayList<>();
        boolean complete = true;
        for (ConfigNode step : elements) {
            if (!step.isMap()) {
                problems.add(step.error("expected a step {match, condition}, got " + MatchReader.kindOf(step)));
                complete = false;
                continue;
            }
            problems.run(() -> step.rejectUnknownFields("match", "condition"));
            EventMatch match = problems.attempt(() -> MatchReader.match(step.required("match"), problems));
            Condition condition = null;
            if (match != null && step.has("condition")) {
                condition = problems.attempt(() -> MatchReader.condition(step.required("condition"), match.signal, problems));
                if (condition == null) complete = false;
            }
            if (match == null) complete = false;
            else steps.add(new SequenceStep(match, condition));
        }
        return complete ? List.copyOf(steps) : null;
    }

    private List<String> by(ConfigNode n) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigNode element : n.elementsOrSingle()) {
            String name = problems.attempt(() -> {
                String s = element.asString();
                if (s.isBlank()) throw element.error("expected an attribute name, got \"" + s + "\"");
                return s;
            });
            if (name == null) continue;
            if (!seen.add(name)) problems.add(element.error("\"" + name + "\" is listed twice"));
            else names.add(name);
        }
        return List.copyOf(names);
    }

    private Map<String, String> labels(ConfigNode n, List<String> by) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : mapEntries(n, "label names to values").entrySet()) {
            String name = e.getKey();
            ConfigNode value = e.getValue();
            if (!LABEL_NAME.matcher(name).matches()) {
                problems.add(value.error("label names are letters, digits and '_', not starting with a digit (Alertmanager's rule), got \"" + name + "\""));
            } else if (RESERVED_LABELS.contains(name)) {
                problems.add(value.error("\"" + name + "\" is set from the rule itself (" + String.join(", ", RESERVED_LABELS) + "); choose another label name"));
            } else if (by.contains(name)) {
                problems.add(value.error("\"" + name + "\" is also in by, whose value the alert already carries as this label"));
            }
            String text = problems.attempt(value::asString);
            if (text != null && LABEL_NAME.matcher(name).matches() && !RESERVED_LABELS.contains(name) && !by.contains(name)) {
                labels.put(name, text);
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    private Map<String, String> annotations(ConfigNode n, List<String> by, Map<String, String> labels) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : mapEntries(n, "annotation names to templates").entrySet()) {
            ConfigNode value = e.getValue();
            String text = problems.attempt(value::asString);
            if (text == null) continue;
            try {
                for (String name : AnnotationTemplate.names(text)) {
                    if (!by.contains(name) && !labels.containsKey(name)) {
                        Set<String> known = new LinkedHashSet<>(by);
                        known.addAll(labels.keySet());
                        problems.add(value.error("{{" + name + "}} is neither in by nor in labels, so the alert has no value for it"
                                + (known.isEmpty() ? " (this rule has no by and no labels)" : "; it can use: " + String.join(", ", known))));
                    }
                }
            } catch (IllegalArgumentException bad) {
                problems.add(value.error(bad.getMessage()));
            }
            annotations.put(e.getKey(), text);
        }
        return Collections.unmodifiableMap(annotations);
    }

    private Map<String, ConfigNode> mapEntries(ConfigNode n, String what) {
        if (!n.isMap()) throw n.error("expected a mapping of " + what + ", got " + MatchReader.kindOf(n));
        return n.entries();
    }

    /** Unknown keys, naming the kind a key belongs to when it is another kind's ({@code count} in a threshold rule). */
    private void rejectUnknownKeys(RuleKind kind) {
        List<String> allowed = new ArrayList<>(COMMON_KEYS);
        if (kind == null) KIND_KEYS.values().forEach(allowed::addAll);
        else allowed.addAll(KIND_KEYS.get(kind));
        if (kind == RuleKind.SEQUENCE) allowed.remove("match");
        try {
            node.rejectUnknownFields(allowed.stream().distinct().toArray(String[]::new));
        } catch (ConfigException e) {
            for (ConfigException p : e.getProblems()) {
                Matcher m = UNKNOWN_FIELD.matcher(p.getProblem());
                String key = m.matches() ? m.group(1) : null;
                String owner = key == null ? null : ownerOf(key);
                if (owner == null) {
                    problems.add(p);
                    continue;
                }
                List<String> own = new ArrayList<>(KIND_KEYS.get(kind));
                String problem = key.equals("match")
                        ? "a sequence rule has no match of its own: each step has one"
                        : "\"" + key + "\" belongs to " + owner + " rules; a " + kind.yamlName() + " rule takes " + String.join(", ", own)
                                + " besides " + String.join(", ", COMMON_KEYS);
                problems.add(new ConfigException(p.getFile(), p.getLine(), p.getColumn(), p.getField(), problem));
            }
        }
    }

    private static Signal signalOf(ConfigNode match) {
        try {
            return match != null && match.isMap() && match.has("signal") ? MatchReader.signal(match.required("signal")) : null;
        } catch (ConfigException alreadyReported) {
            return null;
        }
    }

    private static String ownerOf(String key) {
        if (key.equals("match")) return "other";
        List<String> owners = new ArrayList<>();
        for (RuleKind k : RuleKind.values()) {
            if (KIND_KEYS.get(k).contains(key)) owners.add(k.yamlName());
        }
        return owners.isEmpty() ? null : String.join(" and ", owners);
    }

    private <T> T attempt(String key, java.util.function.Function<ConfigNode, T> reader) {
        return problems.attempt(() -> reader.apply(node.required(key)));
    }

    private <T> T optional(String key, java.util.function.Function<ConfigNode, T> reader, T defaultValue) {
        if (!node.has(key)) return defaultValue;
        T value = problems.attempt(() -> node.optional(key).map(reader).orElseGet(() -> {
            throw node.required(key).error("expected a value, got null (leave the key out for the default)");
        }));
        return value != null ? value : defaultValue;
    }

    private void required(String key) {
        problems.attempt(() -> node.required(key));
    }

    private static double doubleOrZero(Double d) {
        return d == null ? 0 : d;
    }

    private static int intOrZero(Integer i) {
        return i == null ? 0 : i;
    }
}
