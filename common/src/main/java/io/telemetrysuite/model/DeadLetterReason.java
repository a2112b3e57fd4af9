package io.telemetrysuite.model;

/** The reason codes dead letters carry. Codes are a contract: add, never rename. */
public final class DeadLetterReason {
    /** Protobuf bytes that do not decode (truncated, corrupt, or not protobuf at all). */
    public static final String UNDECODABLE_PROTOBUF = "undecodable_protobuf";
    /** Text that is not JSON. */
    public static final String INVALID_JSON = "invalid_json";
    /** JSON that is neither an OTLP export request nor one of the suite's records, or has fields of the wrong type. */
    public static final String WRONG_SHAPE = "wrong_shape";
    public static final String INVALID_TRACE_ID = "invalid_trace_id";
    public static final String INVALID_SPAN_ID = "invalid_span_id";
    public static final String MISSING_TIMESTAMP = "missing_timestamp";
    public static final String TIMESTAMP_IN_FUTURE = "timestamp_in_future";
    /** End before start. */
    public static final String INVALID_TIME_RANGE = "invalid_time_range";
    public static final String ATTRIBUTE_TOO_LARGE = "attribute_too_large";
    /** Semantic-convention rules whose policy is {@code reject}; the message names the rule and attribute. */
    public static final String MISSING_REQUIRED_ATTRIBUTE = "missing_required_attribute";
    public static final String INVALID_ATTRIBUTE_TYPE = "invalid_attribute_type";
    public static final String INVALID_ATTRIBUTE_VALUE = "invalid_attribute_value";
    public static final String MISSING_REQUIRED_FIELD = "missing_required_field";
    public static final String EMPTY_RECORD = "empty_record";

    private DeadLetterReason() {}
}
