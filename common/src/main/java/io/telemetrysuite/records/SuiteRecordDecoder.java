package io.telemetrysuite.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.otlp.OtlpDecodeException;
import io.telemetrysuite.otlp.OtlpDecoder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes the suite's own JSON records: one object per line or per Kafka message, with
 * a discriminator {@value #SIGNAL_FIELD} of {@value #WORKLOAD}, {@value #SYSTEM} or
 * {@value #INFERENCE} and otherwise the public fields of {@link WorkloadRecord},
 * {@link SystemSample} or {@link InferenceSample} under the same names.
 *
 * <p>Types are checked strictly, so that a producer's bug is dead-lettered with the field's name
 * instead of being coerced: integer fields take JSON integers, floating-point fields any JSON number
 * (or "NaN"/"Infinity"/"-Infinity", which is how {@link EventJson} writes those), strings only
 * strings. A field that is absent or null keeps the model's default, except
 * {@code timestampMillis}, which is required and not 0. Unknown fields are ignored, so producers may
 * add fields.
 *
 * <p>The binding is derived from the model classes' public fields, so a field added to the model is
 * decoded without a change here. Stateless and thread-safe.
 */
public final class SuiteRecordDecoder {
    public static final String SIGNAL_FIELD = "signal";
    public static final String WORKLOAD = "workload";
    public static final String SYSTEM = "system";
    public static final String INFERENCE = "inference";
    private static final String TIMESTAMP_FIELD = "timestampMillis";

    private static final Binding[] WORKLOAD_FIELDS = binding(WorkloadRecord.class);
    private static final Binding[] SYSTEM_FIELDS = binding(SystemSample.class);
    private static final Binding[] INFERENCE_FIELDS = binding(InferenceSample.class);

    private SuiteRecordDecoder() {}

    /** Whether a parsed JSON object is one of the suite's records rather than an OTLP request. */
    public static boolean isSuiteRecord(ObjectNode json) {
        return json.has(SIGNAL_FIELD);
    }

    /**
     * Decodes one record.
     *
     * @return a {@link WorkloadRecord}, {@link SystemSample} or {@link InferenceSample}
     * @throws OtlpDecodeException {@code invalid_json}, {@code empty_record}, {@code wrong_shape} (naming
     *     the field) or {@code missing_timestamp}
     */
    public static Object decode(byte[] json) throws OtlpDecodeException {
        return decode(OtlpDecoder.parseJsonObject(json));
    }

    /** Decodes one record already parsed by {@link OtlpDecoder#parseJsonObject(byte[])}; see {@link #decode(byte[])}. */
    public static Object decode(ObjectNode json) throws OtlpDecodeException {
        JsonNode signal = json.get(SIGNAL_FIELD);
        if (signal == null || signal.isNull()) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, OtlpDecoder.UNKNOWN,
                    "missing field 'signal' (workload, system or inference)");
        }
        if (!signal.isTextual()) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, OtlpDecoder.UNKNOWN,
                    "field 'signal' must be a string (workload, system or inference), got " + describe(signal));
        }
        switch (signal.textValue()) {
            case WORKLOAD: return bind(json, new WorkloadRecord(), WORKLOAD_FIELDS, WORKLOAD);
            case SYSTEM: return bind(json, new SystemSample(), SYSTEM_FIELDS, SYSTEM);
            case INFERENCE: return bind(json, new InferenceSample(), INFERENCE_FIELDS, INFERENCE);
            default:
                throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, OtlpDecoder.UNKNOWN,
                        "unknown signal " + describe(signal) + " (expected workload, system or inference)");
        }
    }

    /**
     * The record as one line of JSON (no newline): the discriminator first, then the model's public
     * fields as {@link EventJson} writes them.
     *
     * @throws IllegalArgumentException for an object that is none of the three record types
     */
    public static String encode(Object record) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put(SIGNAL_FIELD, signalOf(record));
        json.setAll((ObjectNode) EventJson.mapper().valueToTree(record));
        return json.toString();
    }

    /**
     * {@value #WORKLOAD}, {@value #SYSTEM} or {@value #INFERENCE}, which is also the record's
     * {@link io.telemetrysuite.model.DeadLetter#signal}.
     *
     * @throws IllegalArgumentException for an object that is none of the three record types
     */
    public static String signalOf(Object record) {
        if (record instanceof WorkloadRecord) return WORKLOAD;
        if (record instanceof SystemSample) return SYSTEM;
        if (record instanceof InferenceSample) return INFERENCE;
        throw new IllegalArgumentException("not a suite record: " + (record == null ? "null" : record.getClass().getName()));
    }

    private static <T> T bind(ObjectNode json, T record, Binding[] fields, String signal) throws OtlpDecodeException {
        JsonNode timestamp = json.get(TIMESTAMP_FIELD);
        if (timestamp == null || timestamp.isNull() || (timestamp.isIntegralNumber() && timestamp.longValue() == 0)) {
            throw new OtlpDecodeException(DeadLetterReason.MISSING_TIMESTAMP, signal,
                    signal + " record without " + TIMESTAMP_FIELD + (timestamp == null || timestamp.isNull() ? "" : " (it is 0)"));
        }
        try {
            for (Binding field : fields) {
                JsonNode value = json.get(field.name);
                if (value != null && !value.isNull()) field.set(record, value, signal);
            }
        } catch (IllegalAccessException e) {
            // The binding only holds public fields of public classes.
            throw new IllegalStateException(e);
        }
        return record;
    }

    private static String describe(JsonNode value) {
        String type = value.getNodeType().name().toLowerCase();
        String text = value.toString();
        return type + " " + (text.length() <= 60 ? text : text.substring(0, 60) + "...");
    }

    private enum Kind { LONG, INT, DOUBLE, STRING, DOUBLE_ARRAY }

    /** One public field of a record class and how its JSON value is checked. */
    private static final class Binding {
        final Field field;
        final String name;
        final Kind kind;

        Binding(Field field, Kind kind) {
            this.field = field;
            this.name = field.getName();
            this.kind = kind;
        }

        void set(Object record, JsonNode value, String signal) throws OtlpDecodeException, IllegalAccessException {
            switch (kind) {
                case LONG:
                    if (!value.isIntegralNumber() || !value.canConvertToLong()) throw wrongType(value, "an integer", signal);
                    field.setLong(record, value.longValue());
                    break;
                case INT:
                    if (!value.isIntegralNumber() || !value.canConvertToInt()) throw wrongType(value, "a 32-bit integer", signal);
                    field.setInt(record, value.intValue());
                    break;
                case DOUBLE:
                    field.setDouble(record, toDouble(value, name, signal));
                    break;
                case STRING:
                    if (!value.isTextual()) throw wrongType(value, "a string", signal);
                    field.set(record, value.textValue());
                    break;
                case DOUBLE_ARRAY: {
                    if (!value.isArray()) throw wrongType(value, "an array of numbers", signal);
                    double[] array = new double[value.size()];
                    for (int i = 0; i < array.length; i++) array[i] = toDouble(value.get(i), name + "[" + i + "]", signal);
                    field.set(record, array);
                    break;
                }
            }
        }

        private OtlpDecodeException wrongType(JsonNode value, String expected, String signal) {
            return wrongType(name, value, expected, signal);
        }

        private static OtlpDecodeException wrongType(String name, JsonNode value, String expected, String signal) {
            return new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, signal,
                    signal + " record: field '" + name + "' must be " + expected + ", got " + describe(value));
        }

        private static double toDouble(JsonNode value, String name, String signal) throws OtlpDecodeException {
            if (value.isNumber()) return value.doubleValue();
            if (value.isTextual()) {
                switch (value.textValue()) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
            throw wrongType(name, value, "a number", signal);
        }
    }

    private static Binding[] binding(Class<?> type) {
        List<Binding> bindings = new ArrayList<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            Class<?> t = field.getType();
            Kind kind;
            if (t == long.class) kind = Kind.LONG;
            else if (t == int.class) kind = Kind.INT;
            else if (t == double.class) kind = Kind.DOUBLE;
            else if (t == String.class) kind = Kind.STRING;
            else if (t == double[].class) kind = Kind.DOUBLE_ARRAY;
            // Fails class initialization, and so every test, the moment the model gains a type this does not bind.
            else throw new IllegalStateException("no JSON binding for " + type.getSimpleName() + "." + field.getName() + " of type " + t);
            bindings.add(new Binding(field, kind));
        }
        return bindings.toArray(new Binding[0]);
    }
}
