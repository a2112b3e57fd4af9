package io.telemetrysuite.ingest.validate;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.telemetrysuite.ingest.validate.ConventionRule.AttributeType;
import io.telemetrysuite.ingest.validate.ConventionRule.Condition;
import io.telemetrysuite.ingest.validate.ConventionRule.Expected;
import io.telemetrysuite.ingest.validate.ConventionRule.OnViolation;
import io.telemetrysuite.ingest.validate.ConventionRule.Requirement;
import io.telemetrysuite.ingest.validate.ConventionRule.Scope;
import io.telemetrysuite.model.DeadLetterReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Checks one OTLP item (span, metric point or log record) against a {@link ConventionRegistry}, on
 * its typed attributes, before they are rendered to strings: that is the only place an int sent as a
 * string can still be told apart.
 *
 * <p>Built for the ingest hot path (every span, about a million a second): the rules are split by
 * signal up front, each item's attributes are indexed once into a reusable hash table, the resource's
 * index is kept while consecutive items share the same resource attribute list (protobuf lists are
 * immutable, so identity is enough), and the one {@link ValidationResult} is reused. Nothing is
 * allocated for a valid or merely tagged item; strings are built only for the message of a rejection.
 *
 * <p>Not thread-safe: build one per Flink subtask, in {@code open()}, from the serializable registry.
 */
public final class ConventionValidator {
    private static final int MESSAGE_VALUE_CHARS = 64;

    private final ConventionRule[][] rulesBySignal;
    private final int[][] ruleIndexesBySignal;
    private final List<String> ruleIds;
    private final int limitIndex;
    private final int maxValueBytes;
    private final boolean rejectOversized;

    private final AttributeIndex itemIndex = new AttributeIndex();
    private final AttributeIndex resourceIndex = new AttributeIndex();
    private final ValidationResult result;

    /** The resource list {@link #resourceIndex} holds, and its first oversized value (or null). */
    private List<KeyValue> indexedResource;
    private KeyValue oversizedResourceValue;

    public ConventionValidator(ConventionRegistry registry) {
        List<ConventionRule> rules = registry.rules();
        List<String> ids = new ArrayList<>(rules.size() + 1);
        for (ConventionRule rule : rules) ids.add(rule.id);
        ids.add(ConventionRegistry.LIMIT_RULE_ID);
        this.ruleIds = Collections.unmodifiableList(ids);
        this.limitIndex = rules.size();

        Signal[] signals = Signal.values();
        this.rulesBySignal = new ConventionRule[signals.length][];
        this.ruleIndexesBySignal = new int[signals.length][];
        for (Signal signal : signals) {
            List<ConventionRule> selected = new ArrayList<>();
            int[] indexes = new int[rules.size()];
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).signals.contains(signal)) {
                    indexes[selected.size()] = i;
                    selected.add(rules.get(i));
                }
            }
            rulesBySignal[signal.ordinal()] = selected.toArray(new ConventionRule[0]);
            ruleIndexesBySignal[signal.ordinal()] = Arrays.copyOf(indexes, selected.size());
        }
        this.maxValueBytes = registry.maxAttributeValueLength();
        this.rejectOversized = registry.onOversizedValue() == OnViolation.REJECT;
        this.result = new ValidationResult(ruleIds);
    }

    /**
     * Every rule id a violation can carry, indexed as {@link ValidationResult#ruleIndex(int)}: the
     * registry's rules in order, then {@link ConventionRegistry#LIMIT_RULE_ID}. Register one counter
     * per entry.
     */
    public List<String> ruleIds() {
        return ruleIds;
    }

    /**
     * Validates one item.
     *
     * @param signal             which rules apply
     * @param itemAttributes     the span's, point's or log record's own attributes
     * @param resourceAttributes its resource's attributes; its index is kept while the same list instance
     *                           comes back, so the list must not change between calls (protobuf's never do)
     * @param spanKindName       the span kind ({@code SERVER} or {@code SPAN_KIND_SERVER}); null for metrics and logs
     * @return the reused result; read it before the next call
     */
    public ValidationResult validate(Signal signal, List<KeyValue> itemAttributes, List<KeyValue> resourceAttributes,
                                     String spanKindName) {
        result.clear();
        itemIndex.index(itemAttributes);
        if (resourceAttributes != indexedResource) {
            resourceIndex.index(resourceAttributes);
            indexedResource = resourceAttributes;
            oversizedResourceValue = firstOversized(resourceAttributes);
        }

        ConventionRule[] rules = rulesBySignal[signal.ordinal()];
        int[] indexes = ruleIndexesBySignal[signal.ordinal()];
        for (int r = 0; r < rules.length; r++) {
            ConventionRule rule = rules[r];
            if (rule.when != null && !applies(rule.when, spanKindName)) continue;
            AnyValue value = (rule.scope == Scope.RESOURCE ? resourceIndex : itemIndex).get(rule.attribute);
            check(rule, indexes[r], value);
        }

        KeyValue oversized = firstOversized(itemAttributes);
        boolean inResource = false;
        if (oversized == null && oversizedResourceValue != null) {
            oversized = oversizedResourceValue;
            inResource = true;
        }
        if (oversized != null) {
            result.add(limitIndex, DeadLetterReason.ATTRIBUTE_TOO_LARGE, rejectOversized);
            if (rejectOversized && !result.hasRejection()) {
                result.reject(DeadLetterReason.ATTRIBUTE_TOO_LARGE, "rule " + ConventionRegistry.LIMIT_RULE_ID + ": "
                        + (inResource ? "resource attribute " : "attribute ") + oversized.getKey() + " value is "
                        + byteSize(oversized.getValue(), Long.MAX_VALUE) + " bytes, over the limit of " + maxValueBytes);
            }
        }
        return result;
    }

    private void check(ConventionRule rule, int ruleIndex, AnyValue value) {
        boolean reject = rule.onViolation == OnViolation.REJECT;
        if (isMissing(value)) {
            if (rule.requirement == Requirement.OPTIONAL) return;
            // A missing recommended attribute only ever tags: see Requirement.
            boolean rejects = reject && rule.requirement == Requirement.REQUIRED;
            result.add(ruleIndex, DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE, rejects);
            if (rejects && !result.hasRejection()) {
                result.reject(DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE, "rule " + rule.id + ": required "
                        + scopeWord(rule) + rule.attribute + (value == null ? " is missing" : " is empty"));
            }
            return;
        }
        if (rule.type != null && !typeMatches(rule.type, value.getValueCase())) {
            result.add(ruleIndex, DeadLetterReason.INVALID_ATTRIBUTE_TYPE, reject);
            if (reject && !result.hasRejection()) {
                result.reject(DeadLetterReason.INVALID_ATTRIBUTE_TYPE, "rule " + rule.id + ": " + scopeWord(rule)
                        + rule.attribute + " must be " + rule.type.name().toLowerCase(Locale.ROOT) + ", got " + typeName(value)
                        + " " + render(value));
            }
            return;
        }
        String problem = valueProblem(rule, value);
        if (problem != null) {
            result.add(ruleIndex, DeadLetterReason.INVALID_ATTRIBUTE_VALUE, reject);
            if (reject && !result.hasRejection()) {
                result.reject(DeadLetterReason.INVALID_ATTRIBUTE_VALUE, "rule " + rule.id + ": " + scopeWord(rule)
                        + rule.attribute + problem);
            }
        }
    }

    /**
     * Why the value breaks the rule's {@code allowed} or {@code maxLength}, or null. The type is
     * already checked, so string rules see strings and int rules see ints.
     */
    private static String valueProblem(ConventionRule rule, AnyValue value) {
        if (rule.allowedStrings != null && !rule.allowedStrings.contains(value.getStringValue())) {
            return " value " + render(value) + " is not one of " + rule.allowedText;
        }
        if (rule.allowedInts != null && Arrays.binarySearch(rule.allowedInts, value.getIntValue()) < 0) {
            return " value " + value.getIntValue() + " is not one of " + rule.allowedText;
        }
        if (rule.maxLength > 0 && value.getStringValue().length() > rule.maxLength) {
            return " is " + value.getStringValue().length() + " characters long, over maxLength " + rule.maxLength;
        }
        return null;
    }

    private boolean applies(Condition when, String spanKindName) {
        if (when.spanKinds != null && (spanKindName == null || !when.spanKinds.contains(spanKindName))) return false;
        for (String key : when.present) {
            if (lookup(key) == null) return false;
        }
        for (int i = 0; i < when.equalsKeys.length; i++) {
            AnyValue value = lookup(when.equalsKeys[i]);
            if (value == null || !matches(value, when.equalsValues[i])) return false;
        }
        return true;
    }

    /** The item's attribute, else the resource's: how {@code Span.attribute(key)} resolves too. */
    private AnyValue lookup(String key) {
        AnyValue value = itemIndex.get(key);
        return value != null ? value : resourceIndex.get(key);
    }

    private static boolean matches(AnyValue value, Expected expected) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return value.getStringValue().equals(expected.text);
            case INT_VALUE: return expected.asLong != null && value.getIntValue() == expected.asLong;
            case DOUBLE_VALUE: return expected.asDouble != null && value.getDoubleValue() == expected.asDouble;
            case BOOL_VALUE: return (value.getBoolValue() ? "true" : "false").equals(expected.text);
            default: return false;
        }
    }

    private static boolean isMissing(AnyValue value) {
        return value == null
                || value.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET
                || (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE && value.getStringValue().isEmpty());
    }

    private static boolean typeMatches(AttributeType type, AnyValue.ValueCase actual) {
        switch (type) {
            case STRING: return actual == AnyValue.ValueCase.STRING_VALUE;
            case INT: return actual == AnyValue.ValueCase.INT_VALUE;
            case DOUBLE: return actual == AnyValue.ValueCase.DOUBLE_VALUE || actual == AnyValue.ValueCase.INT_VALUE;
            case BOOLEAN: return actual == AnyValue.ValueCase.BOOL_VALUE;
            case ARRAY: return actual == AnyValue.ValueCase.ARRAY_VALUE;
            default: throw new AssertionError(type);
        }
    }

    private KeyValue firstOversized(List<KeyValue> attributes) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            AnyValue value = kv.getValue();
            // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars), which settles almost every
            // string without scanning it.
            if (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    && (long) value.getStringValue().length() * 3 <= maxValueBytes) continue;
            if (byteSize(value, maxValueBytes) > maxValueBytes) return kv;
        }
        return null;
    }

    /**
     * The value's size in bytes as UTF-8 text (arrays and maps: the sum of their parts), exact up to
     * {@code stopAbove}; past it counting stops, as "over" is all the check needs.
     */
    private static long byteSize(AnyValue value, long stopAbove) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return utf8Length(value.getStringValue(), stopAbove);
            case BYTES_VALUE: return value.getBytesValue().size();
            case ARRAY_VALUE: {
                ArrayValue array = value.getArrayValue();
                long total = 0;
                for (int i = 0, n = array.getValuesCount(); i < n && total <= stopAbove; i++) {
                    total += byteSize(array.getValues(i), stopAbove - total);
                }
                return total;
            }
            case KVLIST_VALUE: {
                KeyValueList list = value.getKvlistValue();
                long total = 0;
                for (int i = 0, n = list.getValuesCount(); i < n && total <= stopAbove; i++) {
                    KeyValue kv = list.getValues(i);
                    total += utf8Length(kv.getKey(), stopAbove - total);
                    total += byteSize(kv.getValue(), stopAbove - total);
                }
                return total;
            }
            default:
                return 0; // numbers and booleans are a few bytes, far under any sensible limit
        }
    }

    private static long utf8Length(String s, long stopAbove) {
        int chars = s.length();
        if (chars > stopAbove) return chars; // never fewer bytes than chars
        long bytes = 0;
        for (int i = 0; i < chars && bytes <= stopAbove; i++) {
            char c = s.charAt(i);
            // A surrogate is half of a 4-byte sequence.
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private static String scopeWord(ConventionRule rule) {
        return rule.scope == Scope.RESOURCE ? "resource attribute " : "attribute ";
    }

    private static String typeName(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return "string";
            case INT_VALUE: return "int";
            case DOUBLE_VALUE: return "double";
            case BOOL_VALUE: return "boolean";
            case ARRAY_VALUE: return "array";
            case KVLIST_VALUE: return "map";
            case BYTES_VALUE: return "bytes";
            default: return "empty";
        }
    }

    /** The value for a message: strings quoted and cut at {@value #MESSAGE_VALUE_CHARS} characters. */
    private static String render(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: {
                String s = value.getStringValue();
                return "\"" + (s.length() > MESSAGE_VALUE_CHARS ? s.substring(0, MESSAGE_VALUE_CHARS) + "..." : s) + "\"";
            }
            case INT_VALUE: return Long.toString(value.getIntValue());
            case DOUBLE_VALUE: return Double.toString(value.getDoubleValue());
            case BOOL_VALUE: return Boolean.toString(value.getBoolValue());
            case ARRAY_VALUE: return "of " + value.getArrayValue().getValuesCount() + " elements";
            case KVLIST_VALUE: return "of " + value.getKvlistValue().getValuesCount() + " entries";
            case BYTES_VALUE: return "of " + value.getBytesValue().size() + " bytes";
            default: return "value";
        }
    }
}
