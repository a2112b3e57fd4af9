package io.telemetrysuite.generator;

import io.telemetrysuite.model.DeadLetterReason;

/**
 * The kinds of deliberately broken records the workload mixes into its output so that the ingest
 * job's dead-letter path is always exercised, each with the dead-letter reason ingest should give it.
 */
public enum MalformedKind {
    /** A trace export request cut short, on {@code otlp_spans}. */
    TRUNCATED_PROTOBUF(DeadLetterReason.UNDECODABLE_PROTOBUF),
    /** Bytes that are not protobuf at all (the first tag has an invalid wire type), on an OTLP topic. */
    GARBAGE_BYTES(DeadLetterReason.UNDECODABLE_PROTOBUF),
    /** A suite record whose JSON text is cut short, on {@code telemetry_records}. */
    INVALID_JSON(DeadLetterReason.INVALID_JSON),
    /** Well-formed JSON with fields of the wrong types, on {@code telemetry_records}. */
    WRONG_SHAPE_JSON(DeadLetterReason.WRONG_SHAPE),
    /** A span whose trace id is 16 zero bytes. */
    ZERO_TRACE_ID(DeadLetterReason.INVALID_TRACE_ID),
    /** A span whose span id is 4 bytes instead of 8. */
    SHORT_SPAN_ID(DeadLetterReason.INVALID_SPAN_ID),
    /** A span that ends before it starts. */
    END_BEFORE_START(DeadLetterReason.INVALID_TIME_RANGE),
    /** A span ten years in the future. */
    FUTURE_TIMESTAMP(DeadLetterReason.TIMESTAMP_IN_FUTURE),
    /** A span whose resource has no {@code service.name}. */
    MISSING_SERVICE_NAME(DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE);

    private final String expectedReason;

    MalformedKind(String expectedReason) {
        this.expectedReason = expectedReason;
    }

    /** The {@link DeadLetterReason} code the ingest job is expected to give this record. */
    public String expectedReason() {
        return expectedReason;
    }
}
