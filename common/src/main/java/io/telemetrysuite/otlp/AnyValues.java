package io.telemetrysuite.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders OTLP's typed {@link AnyValue} as the strings the event model keeps (see the model's
 * package documentation): strings as they are, integers in decimal, doubles as
 * {@link Double#toString(double)} (so integral doubles keep their {@code .0} and stay
 * distinguishable from integers), booleans as {@code true}/{@code false}, bytes in base64, and
 * arrays and key-value lists as compact JSON. An unset value renders as the empty string, or as
 * {@code null} inside JSON.
 *
 * <p>Hand-written rather than through a JSON library because it runs for every attribute of every
 * item at ingest.
 */
public final class AnyValues {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AnyValues() {}

    /** The value as the model's attribute string. */
    public static String render(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return value.getStringValue();
            case BOOL_VALUE: return value.getBoolValue() ? "true" : "false";
            case INT_VALUE: return Long.toString(value.getIntValue());
            case DOUBLE_VALUE: return Double.toString(value.getDoubleValue());
            case BYTES_VALUE: return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE: {
                StringBuilder json = new StringBuilder(32);
                appendArray(json, value.getArrayValue());
                return json.toString();
            }
            case KVLIST_VALUE: {
                StringBuilder json = new StringBuilder(32);
                appendKvList(json, value.getKvlistValue());
                return json.toString();
            }
            default: return "";
        }
    }

    /**
     * The key-values rendered into a new mutable map. A repeated key (invalid in OTLP, but senders
     * do it) keeps its last value, as the Collector does.
     */
    public static Map<String, String> render(List<KeyValue> attributes) {
        // Sized so the map never rehashes for this many keys.
        Map<String, String> out = new HashMap<>(Math.max(4, (int) (attributes.size() / 0.75f) + 1));
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            out.put(kv.getKey(), render(kv.getValue()));
        }
        return out;
    }

    private static void appendJson(StringBuilder json, AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: appendString(json, value.getStringValue()); break;
            case BOOL_VALUE: json.append(value.getBoolValue()); break;
            case INT_VALUE: json.append(value.getIntValue()); break;
            case DOUBLE_VALUE: {
                double d = value.getDoubleValue();
                // JSON has no NaN or infinities; quote them the way Jackson does by default.
                if (Double.isFinite(d)) json.append(d);
                else json.append('"').append(d).append('"');
                break;
            }
            case BYTES_VALUE:
                json.append('"').append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray())).append('"');
                break;
            case ARRAY_VALUE: appendArray(json, value.getArrayValue()); break;
            case KVLIST_VALUE: appendKvList(json, value.getKvlistValue()); break;
            default: json.append("null");
        }
    }

    private static void appendArray(StringBuilder json, ArrayValue array) {
        json.append('[');
        for (int i = 0, n = array.getValuesCount(); i < n; i++) {
            if (i > 0) json.append(',');
            appendJson(json, array.getValues(i));
        }
        json.append(']');
    }

    private static void appendKvList(StringBuilder json, KeyValueList list) {
        json.append('{');
        for (int i = 0, n = list.getValuesCount(); i < n; i++) {
            if (i > 0) json.append(',');
            KeyValue kv = list.getValues(i);
            appendString(json, kv.getKey());
            json.append(':');
            appendJson(json, kv.getValue());
        }
        json.append('}');
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, the rest verbatim. */
    private static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                case '\b': json.append("\\b"); break;
                case '\f': json.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
