package io.telemetrysuite.otlp;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.RawRecord.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Decodes one payload into an OTLP export request: {@link ExportTraceServiceRequest},
 * {@link ExportMetricsServiceRequest} or {@link ExportLogsServiceRequest}. Payloads are either
 * protobuf (what the Collector's Kafka exporter writes with {@code otlp_proto}, or one {@code .pb}
 * file per request) or OTLP JSON (one {@code TracesData}/{@code MetricsData}/{@code LogsData}
 * object per line, as the Collector's file exporter writes; same shape as the export requests).
 *
 * <p>Stateless and thread-safe: every method is static and the parsers it holds are immutable.
 *
 * <p>OTLP JSON is not protobuf's canonical JSON: trace and span ids are lowercase hex where
 * {@link JsonFormat} expects base64, and 32 hex digits are valid base64 too, so a plain
 * {@code JsonFormat} parse yields wrong ids without any error. This decoder rewrites every id of
 * the tree (span, parent, link, log record, exemplar ids) from hex to base64 first, and rejects an
 * id that is not hex. Id lengths are not checked here but item by item in {@link OtlpMapper}, so a
 * JSON and a protobuf request with the same content are treated alike and one bad span does not
 * cost its siblings.
 *
 * <p>Every failure is an {@link OtlpDecodeException} with a {@link DeadLetterReason} code.
 */
public final class OtlpDecoder {
    /** {@link io.telemetrysuite.model.DeadLetter#signal} of traces, metrics and logs. */
    public static final String SPAN = "span";
    public static final String METRIC = "metric";
    public static final String LOG = "log";
    public static final String UNKNOWN = "unknown";

    private static final JsonMapper JSON = JsonMapper.builder()
            // A line holds one object; anything after it means the framing is broken.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFormat.Parser PROTO_JSON = JsonFormat.parser().ignoringUnknownFields();
    private static final String TRUNCATED = "While parsing a protocol message, the input ended unexpectedly";
    /** How much of an offending value a message quotes. */
    private static final int QUOTE_LIMIT = 80;

    private OtlpDecoder() {}

    /**
     * What the payload holds: {@link Encoding#JSON} when its first non-whitespace byte (after an
     * optional UTF-8 byte order mark) is <code>'{'</code>, otherwise {@code protoEncoding}, the
     * protobuf signal the origin implies. A payload with no non-whitespace byte counts as JSON, so
     * that decoding it reports an empty record.
     *
     * <p>One exception: every OTLP protobuf request starts with byte 0x0A (field 1, length-delimited),
     * which is also a JSON newline, and a first entry of 123 bytes (0x7B, <code>'{'</code>) would look
     * like a JSON object after a blank line. So when whitespace precedes the <code>'{'</code>, a
     * payload that is exactly a sequence of field-1 length-delimited entries is taken as protobuf.
     */
    public static String sniffEncoding(byte[] payload, String protoEncoding) {
        int start = payload.length >= 3 && (payload[0] & 0xff) == 0xEF && (payload[1] & 0xff) == 0xBB
                && (payload[2] & 0xff) == 0xBF ? 3 : 0;
        int i = start;
        while (i < payload.length && isJsonWhitespace(payload[i])) i++;
        if (i == payload.length) return Encoding.JSON;
        if (payload[i] != '{') return protoEncoding;
        if (i == start || !isFramedAsOtlpRequest(payload)) return Encoding.JSON;
        return protoEncoding;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** Whether the bytes are one or more entries of field 1 (tag 0x0A), each a varint length and that many bytes. */
    private static boolean isFramedAsOtlpRequest(byte[] payload) {
        int i = 0;
        while (i < payload.length) {
            if (payload[i++] != 0x0A) return false;
            long length = 0;
            int shift = 0;
            while (true) {
                if (i >= payload.length || shift > 28) return false;
                byte b = payload[i++];
                length |= (long) (b & 0x7f) << shift;
                if (b >= 0) break;
                shift += 7;
            }
            if (length > payload.length - i) return false;
            i += (int) length;
        }
        return true;
    }

    /**
     * Decodes protobuf bytes of the signal {@code protoEncoding} names.
     *
     * @param protoEncoding {@link Encoding#OTLP_PROTO_TRACES}, {@link Encoding#OTLP_PROTO_METRICS} or
     *     {@link Encoding#OTLP_PROTO_LOGS}
     * @return the {@link ExportTraceServiceRequest}, {@link ExportMetricsServiceRequest} or
     *     {@link ExportLogsServiceRequest}
     * @throws IllegalArgumentException when {@code protoEncoding} is none of those: a caller's bug,
     *     not bad input
     */
    public static Message decodeProto(byte[] payload, String protoEncoding) throws OtlpDecodeException {
        switch (protoEncoding) {
            case Encoding.OTLP_PROTO_TRACES: return decodeTraces(payload);
            case Encoding.OTLP_PROTO_METRICS: return decodeMetrics(payload);
            case Encoding.OTLP_PROTO_LOGS: return decodeLogs(payload);
            default: throw new IllegalArgumentException("not a protobuf encoding: " + protoEncoding);
        }
    }

    /** Decodes a protobuf {@link ExportTraceServiceRequest} (equivalently a {@code TracesData}). */
    public static ExportTraceServiceRequest decodeTraces(byte[] protobuf) throws OtlpDecodeException {
        checkNotEmpty(protobuf, SPAN);
        try {
            return ExportTraceServiceRequest.parser().parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw undecodable(e, "traces", SPAN, protobuf.length);
        }
    }

    /** Decodes a protobuf {@link ExportMetricsServiceRequest} (equivalently a {@code MetricsData}). */
    public static ExportMetricsServiceRequest decodeMetrics(byte[] protobuf) throws OtlpDecodeException {
        checkNotEmpty(protobuf, METRIC);
        try {
            return ExportMetricsServiceRequest.parser().parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw undecodable(e, "metrics", METRIC, protobuf.length);
        }
    }

    /** Decodes a protobuf {@link ExportLogsServiceRequest} (equivalently a {@code LogsData}). */
    public static ExportLogsServiceRequest decodeLogs(byte[] protobuf) throws OtlpDecodeException {
        checkNotEmpty(protobuf, LOG);
        try {
            return ExportLogsServiceRequest.parser().parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw undecodable(e, "logs", LOG, protobuf.length);
        }
    }

    // An empty request is valid protobuf, but no exporter sends one: zero bytes mean a broken producer.
    private static void checkNotEmpty(byte[] protobuf, String signal) throws OtlpDecodeException {
        if (protobuf.length == 0) {
            throw new OtlpDecodeException(DeadLetterReason.EMPTY_RECORD, signal, "empty payload (0 bytes)");
        }
    }

    private static OtlpDecodeException undecodable(InvalidProtocolBufferException e, String what, String signal, int size) {
        String detail = e.getMessage();
        String kind = detail != null && detail.startsWith(TRUNCATED) ? "truncated protobuf: " : "corrupt protobuf: ";
        return new OtlpDecodeException(DeadLetterReason.UNDECODABLE_PROTOBUF, signal,
                kind + detail + " (" + size + " bytes read as OTLP " + what + ")");
    }

    /**
     * Parses one JSON object, for {@link #decodeJson(ObjectNode)} or the suite's own record decoder,
     * so that a caller that must look at the object to choose between them parses it once.
     *
     * @throws OtlpDecodeException {@code empty_record} for blank input, {@code invalid_json} with line
     *     and column for text that is not JSON, {@code wrong_shape} for JSON that is not an object
     */
    public static ObjectNode parseJsonObject(byte[] json) throws OtlpDecodeException {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "JSON: " : "JSON at line " + at.getLineNr() + " column " + at.getColumnNr() + ": ";
            throw new OtlpDecodeException(DeadLetterReason.INVALID_JSON, UNKNOWN, where + e.getOriginalMessage());
        } catch (IOException e) {
            // readTree(byte[]) does no I/O; anything else it throws is a parse failure too.
            throw new OtlpDecodeException(DeadLetterReason.INVALID_JSON, UNKNOWN, "JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new OtlpDecodeException(DeadLetterReason.EMPTY_RECORD, UNKNOWN, "blank payload: no JSON value");
        }
        if (!tree.isObject()) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, UNKNOWN,
                    "expected a JSON object, got " + tree.getNodeType().name().toLowerCase() + ": " + quote(tree.toString()));
        }
        return (ObjectNode) tree;
    }

    /** Parses and decodes one OTLP JSON object; see {@link #decodeJson(ObjectNode)}. */
    public static Message decodeJson(byte[] json) throws OtlpDecodeException {
        return decodeJson(parseJsonObject(json));
    }

    /**
     * Decodes an OTLP JSON object whose top-level field ({@code resourceSpans},
     * {@code resourceMetrics} or {@code resourceLogs}, or their proto names) says the signal. Enums
     * may be integers or names, 64-bit integers strings or numbers; unknown fields are ignored.
     * Rewrites the tree's ids in place.
     *
     * @return the {@link ExportTraceServiceRequest}, {@link ExportMetricsServiceRequest} or
     *     {@link ExportLogsServiceRequest}
     */
    public static Message decodeJson(ObjectNode tree) throws OtlpDecodeException {
        boolean traces = has(tree, "resourceSpans", "resource_spans");
        boolean metrics = has(tree, "resourceMetrics", "resource_metrics");
        boolean logs = has(tree, "resourceLogs", "resource_logs");
        int signals = (traces ? 1 : 0) + (metrics ? 1 : 0) + (logs ? 1 : 0);
        if (signals == 0) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, UNKNOWN,
                    "not an OTLP request: no top-level resourceSpans, resourceMetrics or resourceLogs (fields: "
                            + fieldNames(tree) + ")");
        }
        if (signals > 1) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, UNKNOWN,
                    "OTLP request mixes signals: " + fieldNames(tree) + "; one request carries one signal");
        }
        if (traces) {
            rewriteTraceIds(tree);
            return merge(tree, ExportTraceServiceRequest.newBuilder(), "traces", SPAN);
        }
        if (metrics) {
            rewriteExemplarIds(tree);
            return merge(tree, ExportMetricsServiceRequest.newBuilder(), "metrics", METRIC);
        }
        rewriteLogIds(tree);
        return merge(tree, ExportLogsServiceRequest.newBuilder(), "logs", LOG);
    }

    /** {@link #SPAN}, {@link #METRIC} or {@link #LOG} for a request this class decoded. */
    public static String signalOf(Message request) {
        if (request instanceof ExportTraceServiceRequest) return SPAN;
        if (request instanceof ExportMetricsServiceRequest) return METRIC;
        if (request instanceof ExportLogsServiceRequest) return LOG;
        return UNKNOWN;
    }

    private static Message merge(ObjectNode tree, Message.Builder builder, String what, String signal)
            throws OtlpDecodeException {
        String text;
        try {
            text = JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // A tree Jackson has just parsed always serializes.
            throw new UncheckedIOException(e);
        }
        try {
            PROTO_JSON.merge(text, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, signal,
                    "OTLP JSON " + what + " with a field of the wrong type: " + e.getMessage());
        }
        return builder.build();
    }

    private static void rewriteTraceIds(ObjectNode tree) throws OtlpDecodeException {
        ArrayNode resources = array(tree, "resourceSpans", "resource_spans");
        for (int r = 0; r < size(resources); r++) {
            ArrayNode scopes = array(resources.get(r), "scopeSpans", "scope_spans");
            for (int s = 0; s < size(scopes); s++) {
                ArrayNode spans = array(scopes.get(s), "spans", "spans");
                for (int i = 0; i < size(spans); i++) {
                    JsonNode span = spans.get(i);
                    int rr = r, ss = s, ii = i;
                    Supplier<String> where = () -> "resourceSpans[" + rr + "].scopeSpans[" + ss + "].spans[" + ii + "]";
                    hexToBase64(span, "traceId", "trace_id", DeadLetterReason.INVALID_TRACE_ID, SPAN, where);
                    hexToBase64(span, "spanId", "span_id", DeadLetterReason.INVALID_SPAN_ID, SPAN, where);
                    hexToBase64(span, "parentSpanId", "parent_span_id", DeadLetterReason.INVALID_SPAN_ID, SPAN, where);
                    ArrayNode links = array(span, "links", "links");
                    for (int l = 0; l < size(links); l++) {
                        int ll = l;
                        Supplier<String> link = () -> where.get() + ".links[" + ll + "]";
                        hexToBase64(links.get(l), "traceId", "trace_id", DeadLetterReason.INVALID_TRACE_ID, SPAN, link);
                        hexToBase64(links.get(l), "spanId", "span_id", DeadLetterReason.INVALID_SPAN_ID, SPAN, link);
                    }
                }
            }
        }
    }

    private static void rewriteLogIds(ObjectNode tree) throws OtlpDecodeException {
        ArrayNode resources = array(tree, "resourceLogs", "resource_logs");
        for (int r = 0; r < size(resources); r++) {
            ArrayNode scopes = array(resources.get(r), "scopeLogs", "scope_logs");
            for (int s = 0; s < size(scopes); s++) {
                ArrayNode records = array(scopes.get(s), "logRecords", "log_records");
                for (int i = 0; i < size(records); i++) {
                    int rr = r, ss = s, ii = i;
                    Supplier<String> where = () -> "resourceLogs[" + rr + "].scopeLogs[" + ss + "].logRecords[" + ii + "]";
                    hexToBase64(records.get(i), "traceId", "trace_id", DeadLetterReason.INVALID_TRACE_ID, LOG, where);
                    hexToBase64(records.get(i), "spanId", "span_id", DeadLetterReason.INVALID_SPAN_ID, LOG, where);
                }
            }
        }
    }

    /** Exemplars are the only ids in metrics; summaries have none. */
    private static void rewriteExemplarIds(ObjectNode tree) throws OtlpDecodeException {
        ArrayNode resources = array(tree, "resourceMetrics", "resource_metrics");
        for (int r = 0; r < size(resources); r++) {
            ArrayNode scopes = array(resources.get(r), "scopeMetrics", "scope_metrics");
            for (int s = 0; s < size(scopes); s++) {
                ArrayNode metrics = array(scopes.get(s), "metrics", "metrics");
                for (int m = 0; m < size(metrics); m++) {
                    JsonNode metric = metrics.get(m);
                    for (String data : new String[] {"gauge", "sum", "histogram", "exponentialHistogram", "exponential_histogram"}) {
                        JsonNode body = metric.get(data);
                        ArrayNode points = array(body, "dataPoints", "data_points");
                        for (int p = 0; p < size(points); p++) {
                            ArrayNode exemplars = array(points.get(p), "exemplars", "exemplars");
                            for (int e = 0; e < size(exemplars); e++) {
                                int rr = r, ss = s, mm = m, pp = p, ee = e;
                                Supplier<String> where = () -> "resourceMetrics[" + rr + "].scopeMetrics[" + ss
                                        + "].metrics[" + mm + "]." + data + ".dataPoints[" + pp + "].exemplars[" + ee + "]";
                                hexToBase64(exemplars.get(e), "traceId", "trace_id", DeadLetterReason.INVALID_TRACE_ID, METRIC, where);
                                hexToBase64(exemplars.get(e), "spanId", "span_id", DeadLetterReason.INVALID_SPAN_ID, METRIC, where);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Replaces a hex id with the base64 JsonFormat reads; absent, null and empty ids stay as they are. */
    private static void hexToBase64(JsonNode item, String jsonName, String protoName, String reason, String signal,
                                    Supplier<String> where) throws OtlpDecodeException {
        if (!(item instanceof ObjectNode)) return;
        ObjectNode object = (ObjectNode) item;
        String field = jsonName;
        JsonNode value = object.get(jsonName);
        if (value == null) {
            field = protoName;
            value = object.get(protoName);
        }
        if (value == null || value.isNull()) return;
        if (!value.isTextual()) {
            // JsonFormat would read the number's digits as base64 and make up an id.
            throw new OtlpDecodeException(DeadLetterReason.WRONG_SHAPE, signal,
                    where.get() + "." + field + " must be a hex string, got " + value.getNodeType().name().toLowerCase()
                            + " " + quote(value.toString()));
        }
        if (value.textValue().isEmpty()) return;
        byte[] id;
        try {
            id = Hex.decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new OtlpDecodeException(reason, signal,
                    where.get() + "." + field + " " + quote(value.toString()) + " is not a hex id: " + e.getMessage());
        }
        object.put(field, Base64.getEncoder().encodeToString(id));
    }

    private static boolean has(ObjectNode tree, String jsonName, String protoName) {
        return tree.has(jsonName) || tree.has(protoName);
    }

    /** The array under either name, or null when there is none: a wrong type is JsonFormat's to report. */
    private static ArrayNode array(JsonNode parent, String jsonName, String protoName) {
        if (parent == null || !parent.isObject()) return null;
        JsonNode value = parent.get(jsonName);
        if (value == null) value = parent.get(protoName);
        return value instanceof ArrayNode ? (ArrayNode) value : null;
    }

    private static int size(ArrayNode array) {
        return array == null ? 0 : array.size();
    }

    private static String fieldNames(ObjectNode tree) {
        StringBuilder names = new StringBuilder("[");
        Iterator<String> it = tree.fieldNames();
        for (int i = 0; it.hasNext(); i++) {
            if (i == 8) {
                names.append(", ...");
                break;
            }
            if (i > 0) names.append(", ");
            names.append(it.next());
        }
        return names.append(']').toString();
    }

    /** The text, cut at {@value #QUOTE_LIMIT} characters so a message stays readable. */
    private static String quote(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }
}
