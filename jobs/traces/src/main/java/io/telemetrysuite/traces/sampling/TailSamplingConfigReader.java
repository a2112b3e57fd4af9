package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the Collector's {@code tail_sampling} processor configuration into a {@link
 * TailSamplingConfig}: from the processor's own mapping, from a mapping with a single {@code
 * tail_sampling} (or {@code tail_sampling/NAME}) key, or from a whole Collector configuration with
 * {@code processors: tail_sampling...: ...} (its other sections are not read).
 *
 * <p>Key names, nesting, defaults and the policy types are the Collector's. Everything the Collector
 * would accept and we can honour is accepted; everything else is refused with file, line, column and
 * field: unknown keys and policy types, a configuration block that belongs to another policy type,
 * {@code ottl_condition}, and the few processor options whose non-default values this job does not
 * implement ({@code sampling_strategy: span-ingest}, {@code block_on_overflow: true}, {@code
 * drop_pending_traces_on_shutdown: true}, {@code tail_storage}).
 */
final class TailSamplingConfigReader {
    private static final String PROCESSOR = "tail_sampling";

    /** Policy types a {@code drop}, {@code and} or {@code not} may hold (the Collector's sharedPolicyCfg). */
    private static final List<String> SHARED_TYPES = List.of("always_sample", "latency", "numeric_attribute",
            "probabilistic", "status_code", "string_attribute", "rate_limiting", "bytes_limiting", "span_count",
            "trace_state", "boolean_attribute", "trace_flags");
    private static final List<String> COMPOSITE_SUB_TYPES = concat(SHARED_TYPES, List.of("and"));
    private static final List<String> TOP_TYPES = concat(SHARED_TYPES, List.of("and", "not", "drop", "composite"));
    /** Types whose settings live in a block named after the type. */
    private static final Set<String> TYPES_WITH_BLOCK = Set.of("latency", "numeric_attribute", "probabilistic",
            "status_code", "string_attribute", "rate_limiting", "bytes_limiting", "span_count", "trace_state",
            "boolean_attribute", "and", "not", "drop", "composite", "ottl_condition");

    private TailSamplingConfigReader() {}

    static TailSamplingConfig read(ConfigNode root, InvertMode invertMode) {
        return readProcessor(locate(root), invertMode == InvertMode.PLAIN);
    }

    /** The processor's own mapping inside whichever of the three accepted layouts {@code root} is. */
    private static ConfigNode locate(ConfigNode root) {
        if (!root.isMap()) throw root.error("expected the tail_sampling processor's mapping, or a Collector configuration");
        if (root.has("processors")) {
            ConfigNode processors = root.required("processors");
            ConfigNode found = findProcessor(processors);
            if (found == null) {
                throw processors.error("no tail_sampling processor here; expected a key tail_sampling or tail_sampling/NAME");
            }
            return found;
        }
        if (!root.has("policies")) {
            ConfigNode found = findProcessor(root);
            if (found != null && root.entries().size() == 1) return found;
        }
        return root;
    }

    private static ConfigNode findProcessor(ConfigNode processors) {
        if (!processors.isMap()) throw processors.error("expected a mapping of processors");
        List<String> names = new ArrayList<>();
        ConfigNode found = null;
        for (Map.Entry<String, ConfigNode> e : processors.entries().entrySet()) {
            String key = e.getKey();
            if (key.equals(PROCESSOR) || key.startsWith(PROCESSOR + "/")) {
                names.add(key);
                found = e.getValue();
            }
        }
        if (names.size() > 1) {
            throw processors.error("several tail_sampling processors (" + String.join(", ", names)
                    + "); give this job a file with one");
        }
        return found;
    }

    private static TailSamplingConfig readProcessor(ConfigNode node, boolean plain) {
        if (!node.isMap()) throw node.error("expected the tail_sampling processor's settings as a mapping");
        node.rejectUnknownFields("decision_wait", "decision_wait_after_root_received", "num_traces",
                "expected_new_traces_per_sec", "decision_cache", "policies", "sample_on_first_match",
                "maximum_trace_size_bytes", "block_on_overflow", "drop_pending_traces_on_shutdown",
                "sampling_strategy", "num_shards", "tail_storage");
        TailSamplingConfig cfg = new TailSamplingConfig();
        cfg.source = node.source();
        List<ConfigException> errors = new ArrayList<>();
        collect(errors, () -> node.optional("decision_wait").ifPresent(n -> cfg.decisionWait = positiveDuration(n)));
        collect(errors, () -> node.optional("decision_wait_after_root_received")
                .ifPresent(n -> cfg.decisionWaitAfterRootReceived = duration(n)));
        collect(errors, () -> node.optional("num_traces").ifPresent(n -> cfg.numTraces = (int) positive(n, Integer.MAX_VALUE)));
        collect(errors, () -> node.optional("expected_new_traces_per_sec")
                .ifPresent(n -> cfg.expectedNewTracesPerSec = (int) nonNegative(n, Integer.MAX_VALUE)));
        collect(errors, () -> node.optional("maximum_trace_size_bytes")
                .ifPresent(n -> cfg.maximumTraceSizeBytes = nonNegative(n, Long.MAX_VALUE)));
        collect(errors, () -> node.optional("decision_cache").ifPresent(c -> {
            c.rejectUnknownFields("sampled_cache_size", "non_sampled_cache_size");
            c.optional("sampled_cache_size").ifPresent(n -> cfg.sampledCacheSize = (int) nonNegative(n, Integer.MAX_VALUE));
            c.optional("non_sampled_cache_size").ifPresent(n -> cfg.nonSampledCacheSize = (int) nonNegative(n, Integer.MAX_VALUE));
        }));
        collect(errors, () -> node.optional("sample_on_first_match").ifPresent(n -> cfg.sampleOnFirstMatch = n.asBoolean()));
        collect(errors, () -> node.optional("sampling_strategy").ifPresent(n -> {
            String s = n.asString();
            if (s.equals("span-ingest")) {
                throw n.error("sampling_strategy span-ingest is not supported: this job decides each trace once, "
                        + "after decision_wait, with the whole trace (the Collector's default, trace-complete)");
            }
            if (!s.equals("trace-complete")) throw n.error("expected trace-complete or span-ingest, got \"" + s + "\"");
        }));
        collect(errors, () -> node.optional("block_on_overflow").ifPresent(n -> {
            if (n.asBoolean()) {
                throw n.error("block_on_overflow: true is not supported: when num_traces is reached this job "
                        + "evicts the oldest undecided trace and counts it, as the Collector does by default");
            }
        }));
        collect(errors, () -> node.optional("drop_pending_traces_on_shutdown").ifPresent(n -> {
            if (n.asBoolean()) {
                throw n.error("drop_pending_traces_on_shutdown: true is not supported: pending traces are kept in "
                        + "Flink state across restarts, and the end of a bounded input decides them");
            }
        }));
        collect(errors, () -> node.optional("num_shards").ifPresent(n -> positive(n, 256)));
        collect(errors, () -> node.optional("tail_storage").ifPresent(n -> {
            throw n.error("tail_storage is not supported: pending traces live in Flink keyed state "
                    + "(RocksDB/ForSt state backends keep them off-heap)");
        }));
        collect(errors, () -> cfg.policies = policies(node, plain));
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return cfg;
    }

    private static List<NamedPolicy> policies(ConfigNode processor, boolean plain) {
        ConfigNode list = processor.optional("policies").orElseThrow(() -> processor.has("policies")
                ? processor.required("policies").error("at least one policy is required")
                : new ConfigException(processor.source(), processor.line(), processor.column(),
                        child(processor.path(), "policies"), "required field is missing; the Collector requires policies"));
        List<ConfigNode> elements = list.elements();
        if (elements.isEmpty()) throw list.error("at least one policy is required");
        Map<String, ConfigNode> names = new HashMap<>();
        List<ConfigException> errors = new ArrayList<>();
        List<NamedPolicy> out = new ArrayList<>();
        for (ConfigNode element : elements) {
            try {
                String name = requiredName(element);
                ConfigNode first = names.putIfAbsent(name, element.required("name"));
                if (first != null) {
                    throw element.required("name").error("duplicate policy name \"" + name + "\" (first at line "
                            + first.line() + ", column " + first.column() + ")");
                }
                String type = type(element, TOP_TYPES, "policies");
                out.add(new NamedPolicy(name, type, policy(element, type, plain)));
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return out;
    }

    private static String requiredName(ConfigNode element) {
        if (!element.isMap()) throw element.error("expected a policy mapping with name and type");
        ConfigNode n = element.required("name");
        String name = n.asString();
        if (name.isEmpty()) throw n.error("policy name cannot be empty");
        return name;
    }

    /** The policy's type, checked against those allowed where it stands, and its keys checked against that type. */
    private static String type(ConfigNode element, List<String> allowed, String where) {
        if (!element.isMap()) throw element.error("expected a policy mapping with name and type");
        List<String> keys = new ArrayList<>(List.of("name", "type"));
        for (String t : allowed) if (TYPES_WITH_BLOCK.contains(t)) keys.add(t);
        keys.add("ottl_condition");
        element.rejectUnknownFields(keys.toArray(new String[0]));
        ConfigNode typeNode = element.required("type");
        String type = typeNode.asString();
        if (type.equals("ottl_condition")) {
            throw typeNode.error("policy type ottl_condition is not supported: this job does not evaluate OTTL; "
                    + "express the condition with string_attribute, numeric_attribute, boolean_attribute, "
                    + "status_code, and, not or drop");
        }
        if (!allowed.contains(type)) {
            if (TOP_TYPES.contains(type)) {
                throw typeNode.error("policy type " + type + " cannot be used in " + where
                        + " (nor can it in the Collector); allowed here: " + String.join(", ", allowed));
            }
            throw typeNode.error("unknown policy type \"" + type + "\"; supported: " + String.join(", ", allowed));
        }
        for (Map.Entry<String, ConfigNode> e : element.entries().entrySet()) {
            String key = e.getKey();
            if (!key.equals("name") && !key.equals("type") && !key.equals(type)) {
                ConfigNode block = e.getValue();
                throw new ConfigException(block.source(), block.line(), block.column(), block.path(),
                        "settings for " + key + " in a policy of type " + type + "; remove them or change the type");
            }
        }
        return type;
    }

    private static TracePolicy policy(ConfigNode element, String type, boolean plain) {
        ConfigNode b = type.equals("always_sample") || type.equals("trace_flags") ? null : block(element, type);
        switch (type) {
            case "always_sample": return new AlwaysSamplePolicy();
            case "trace_flags": return new TraceFlagsPolicy();
            case "latency":
                fields(b, "threshold_ms", "upper_threshold_ms");
                return new LatencyPolicy(longField(b, "threshold_ms"), longField(b, "upper_threshold_ms"));
            case "numeric_attribute": return numeric(element, b, plain);
            case "probabilistic": return probabilistic(b);
            case "status_code": return statusCode(element, b);
            case "string_attribute": return string(element, b, plain);
            case "rate_limiting":
                fields(b, "spans_per_second", "burst_capacity");
                return new RateLimitingPolicy(longField(b, "spans_per_second"), longField(b, "burst_capacity"));
            case "bytes_limiting":
                fields(b, "bytes_per_second", "burst_capacity");
                return new BytesLimitingPolicy(longField(b, "bytes_per_second"), longField(b, "burst_capacity"));
            case "span_count":
                fields(b, "min_spans", "max_spans");
                return new SpanCountPolicy((int) longField(b, "min_spans", Integer.MAX_VALUE),
                        (int) longField(b, "max_spans", Integer.MAX_VALUE));
            case "trace_state":
                fields(b, "key", "values");
                return new TraceStatePolicy(key(element, type, b), strings(b, "values"));
            case "boolean_attribute":
                fields(b, "key", "value", "invert_match");
                return new BooleanAttributePolicy(key(element, type, b), bool(b, "value"), bool(b, "invert_match"), plain);
            case "and":
                fields(b, "and_sub_policy");
                return new AndPolicy(subPolicies(b, "and_sub_policy", SHARED_TYPES, plain));
            case "drop":
                fields(b, "drop_sub_policy");
                return new DropPolicy(subPolicies(b, "drop_sub_policy", SHARED_TYPES, plain));
            case "not": {
                fields(b, "not_sub_policy");
                ConfigNode sub = b == null ? null : b.optional("not_sub_policy").orElse(null);
                if (sub == null) throw missing(element, type, "not_sub_policy");
                String subType = type(sub, SHARED_TYPES, "not_sub_policy");
                return new NotPolicy(policy(sub, subType, plain));
            }
            case "composite": return composite(b, plain);
            default: throw element.required("type").error("unknown policy type \"" + type + "\"");
        }
    }

    /**
     * The type's settings block, or null when it is absent: every setting then takes its zero value,
     * as in the Collector's zero-valued struct.
     */
    private static ConfigNode block(ConfigNode element, String type) {
        ConfigNode b = element.optional(type).orElse(null);
        if (b != null && !b.isMap()) throw b.error("expected a mapping of " + type + " settings");
        return b;
    }

    private static void fields(ConfigNode b, String... allowed) {
        if (b != null) b.rejectUnknownFields(allowed);
    }

    /** A required setting missing from the type's block (or the whole block missing), positioned where it belongs. */
    private static ConfigException missing(ConfigNode element, String type, String key) {
        ConfigNode at = element.optional(type).orElse(element);
        return new ConfigException(at.source(), at.line(), at.column(), child(child(element.path(), type), key),
                "required field is missing");
    }

    private static TracePolicy numeric(ConfigNode element, ConfigNode b, boolean plain) {
        fields(b, "key", "min_value", "max_value", "invert_match");
        String key = key(element, "numeric_attribute", b);
        long min = b.optional("min_value").map(TailSamplingConfigReader::integer).orElse(0L);
        long max = b.optional("max_value").map(TailSamplingConfigReader::integer).orElse(0L);
        if (min == 0 && max == 0) {
            throw b.error("numeric_attribute needs min_value or max_value (a 0 counts as not set, as in the Collector)");
        }
        return new NumericAttributePolicy(key, min != 0 ? min : null, max != 0 ? max : null, bool(b, "invert_match"), plain);
    }

    private static TracePolicy probabilistic(ConfigNode b) {
        if (b == null) return new ProbabilisticPolicy("", 0);
        b.rejectUnknownFields("hash_salt", "sampling_percentage");
        String salt = b.optional("hash_salt").map(ConfigNode::asString).orElse("");
        double pct = b.optional("sampling_percentage").map(n -> {
            double v = n.asDouble();
            if (v < 0) throw n.error("expected a percentage of 0 or more, got " + v);
            return v;
        }).orElse(0.0);
        return new ProbabilisticPolicy(salt, pct);
    }

    private static TracePolicy statusCode(ConfigNode element, ConfigNode b) {
        fields(b, "status_codes");
        ConfigNode list = b == null ? null : b.optional("status_codes").orElse(null);
        if (list == null) {
            ConfigNode at = element.optional("status_code").orElse(element);
            throw at.error("expected at least one status code to filter on (OK, ERROR or UNSET)");
        }
        List<ConfigNode> codes = list.elementsOrSingle();
        if (codes.isEmpty()) throw list.error("expected at least one status code to filter on (OK, ERROR or UNSET)");
        Set<String> out = new LinkedHashSet<>();
        for (ConfigNode c : codes) {
            String code = c.asString();
            if (!StatusCodePolicy.CODES.contains(code)) throw c.error("unknown status code \"" + code + "\", supported: OK, ERROR, UNSET");
            out.add(code);
        }
        return new StatusCodePolicy(out);
    }

    private static TracePolicy string(ConfigNode element, ConfigNode b, boolean plain) {
        fields(b, "key", "values", "enabled_regex_matching", "cache_max_size", "invert_match");
        String key = key(element, "string_attribute", b);
        List<String> values = strings(b, "values");
        boolean regex = bool(b, "enabled_regex_matching");
        List<Pattern> patterns = null;
        if (regex) {
            patterns = new ArrayList<>();
            List<ConfigNode> nodes = b.optional("values").map(ConfigNode::elementsOrSingle).orElse(List.of());
            for (ConfigNode v : nodes) {
                try {
                    patterns.add(Pattern.compile(v.asString()));
                } catch (PatternSyntaxException e) {
                    throw v.error("invalid regular expression: " + e.getDescription());
                }
            }
        }
        int cacheMaxSize = (int) longField(b, "cache_max_size", Integer.MAX_VALUE);
        return new StringAttributePolicy(key, values, patterns, cacheMaxSize, bool(b, "invert_match"), plain);
    }

    private static TracePolicy composite(ConfigNode b, boolean plain) {
        if (b == null) return new CompositePolicy(0, List.of());
        b.rejectUnknownFields("max_total_spans_per_second", "policy_order", "composite_sub_policy", "rate_allocation");
        long maxTotal = longField(b, "max_total_spans_per_second");
        // policy_order is read for validity only: the Collector does not use it either.
        strings(b, "policy_order");
        List<ConfigNode> subs = b.optional("composite_sub_policy").map(ConfigNode::elements).orElse(List.of());
        List<String> names = new ArrayList<>();
        List<TracePolicy> policies = new ArrayList<>();
        List<ConfigException> errors = new ArrayList<>();
        for (ConfigNode sub : subs) {
            try {
                String type = type(sub, COMPOSITE_SUB_TYPES, "composite_sub_policy");
                names.add(sub.optional("name").map(ConfigNode::asString).orElse(""));
                policies.add(policy(sub, type, plain));
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        List<String> allocated = new ArrayList<>();
        List<Long> percents = new ArrayList<>();
        for (ConfigNode a : b.optional("rate_allocation").map(ConfigNode::elements).orElse(List.of())) {
            a.rejectUnknownFields("policy", "percent");
            allocated.add(a.optional("policy").map(ConfigNode::asString).orElse(""));
            percents.add(longField(a, "percent", Long.MAX_VALUE));
        }
        List<CompositePolicy.Sub> out = new ArrayList<>();
        if (!names.isEmpty()) {
            List<Long> budgets = CompositePolicy.allocations(maxTotal, names, allocated, percents);
            for (int i = 0; i < names.size(); i++) out.add(new CompositePolicy.Sub(names.get(i), policies.get(i), budgets.get(i)));
        }
        return new CompositePolicy(maxTotal, out);
    }

    private static List<TracePolicy> subPolicies(ConfigNode b, String key, List<String> allowed, boolean plain) {
        if (b == null) return List.of();
        List<ConfigNode> subs = b.optional(key).map(ConfigNode::elements).orElse(List.of());
        List<TracePolicy> out = new ArrayList<>();
        List<ConfigException> errors = new ArrayList<>();
        for (ConfigNode sub : subs) {
            try {
                out.add(policy(sub, type(sub, allowed, key), plain));
            } catch (ConfigException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return out;
    }

    // ---- values ----

    private static String key(ConfigNode element, String type, ConfigNode b) {
        ConfigNode k = b == null ? null : b.optional("key").orElse(null);
        if (k == null) throw missing(element, type, "key");
        return k.asNonEmptyString();
    }

    private static List<String> strings(ConfigNode b, String key) {
        if (b == null) return List.of();
        return b.optional(key).map(ConfigNode::asStringList).orElse(List.of());
    }

    private static boolean bool(ConfigNode b, String key) {
        if (b == null) return false;
        return b.optional(key).map(ConfigNode::asBoolean).orElse(false);
    }

    private static long longField(ConfigNode b, String key) {
        return longField(b, key, Long.MAX_VALUE);
    }

    private static long longField(ConfigNode b, String key, long max) {
        if (b == null) return 0L;
        return b.optional(key).map(n -> nonNegative(n, max)).orElse(0L);
    }

    /**
     * An integer as Go's YAML decoder reads one: plain digits, optionally with {@code _} separators
     * ({@code 100_000}, as the Collector's own README writes cache sizes).
     */
    static long integer(ConfigNode n) {
        if (n.isMap() || n.isList()) throw n.error("expected an integer, got a " + (n.isMap() ? "mapping" : "list"));
        String text = n.asString();
        String digits = text.replace("_", "");
        if (!text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1))
                && digits.matches("[-+]?[0-9]+") && !text.startsWith("_")) {
            try {
                return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
            } catch (NumberFormatException e) {
                throw n.error("expected an integer, got " + text + " (out of range)");
            }
        }
        throw n.error("expected an integer, got \"" + text + "\"");
    }

    private static long nonNegative(ConfigNode n, long max) {
        long v = integer(n);
        if (v < 0 || v > max) throw n.error("expected an integer from 0 to " + max + ", got " + v);
        return v;
    }

    private static long positive(ConfigNode n, long max) {
        long v = integer(n);
        if (v <= 0 || v > max) throw n.error("expected an integer from 1 to " + max + ", got " + v);
        return v;
    }

    private static Duration duration(ConfigNode n) {
        if (n.isMap() || n.isList()) throw n.error("expected a duration such as 10s, 100ms or 1m30s");
        String text = n.asString();
        Duration d = GoDuration.parse(text);
        if (d == null) {
            String hint = text.matches("[0-9]+") ? " (a bare number has no unit; the Collector would read it as nanoseconds)" : "";
            throw n.error("expected a duration such as 10s, 100ms or 1m30s, got \"" + text + "\"" + hint);
        }
        return d;
    }

    private static Duration positiveDuration(ConfigNode n) {
        Duration d = duration(n);
        if (d.isZero()) throw n.error("expected a duration greater than zero, got \"" + n.asString() + "\"");
        return d;
    }

    private static void collect(List<ConfigException> errors, Runnable step) {
        try {
            step.run();
        } catch (ConfigException e) {
            errors.add(e);
        }
    }

    private static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
