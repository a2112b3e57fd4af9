package io.telemetrysuite.ingest.privacy;

import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The string fields of the suite's records that can carry personal data, named {@code
 * workload.user} and so on in the policy's {@code fields} section. Each has the enabled patterns
 * masked unless the policy names it with another action. Ids (trace, span), enum-like fields
 * (kind, status code, method) and service names are not here: they carry no personal data, and
 * masking inside them would only break joins and grouping.
 */
public enum RecordField {
    SPAN_NAME(RecordKind.SPAN, "name", r -> ((Span) r).name, (r, v) -> ((Span) r).name = v),
    SPAN_STATUS_MESSAGE(RecordKind.SPAN, "statusMessage", r -> ((Span) r).statusMessage, (r, v) -> ((Span) r).statusMessage = v),
    LOG_BODY(RecordKind.LOG, "body", r -> ((LogRecord) r).body, (r, v) -> ((LogRecord) r).body = v),
    WORKLOAD_TENANT(RecordKind.WORKLOAD, "tenant", r -> ((WorkloadRecord) r).tenant, (r, v) -> ((WorkloadRecord) r).tenant = v),
    WORKLOAD_USER(RecordKind.WORKLOAD, "user", r -> ((WorkloadRecord) r).user, (r, v) -> ((WorkloadRecord) r).user = v),
    WORKLOAD_REQUEST_ID(RecordKind.WORKLOAD, "requestId", r -> ((WorkloadRecord) r).requestId, (r, v) -> ((WorkloadRecord) r).requestId = v),
    WORKLOAD_ROUTE(RecordKind.WORKLOAD, "route", r -> ((WorkloadRecord) r).route, (r, v) -> ((WorkloadRecord) r).route = v),
    WORKLOAD_ERROR_MESSAGE(RecordKind.WORKLOAD, "errorMessage", r -> ((WorkloadRecord) r).errorMessage, (r, v) -> ((WorkloadRecord) r).errorMessage = v),
    INFERENCE_HOST(RecordKind.INFERENCE, "host", r -> ((InferenceSample) r).host, (r, v) -> ((InferenceSample) r).host = v),
    INFERENCE_TENANT(RecordKind.INFERENCE, "tenant", r -> ((InferenceSample) r).tenant, (r, v) -> ((InferenceSample) r).tenant = v),
    INFERENCE_REQUEST_ID(RecordKind.INFERENCE, "requestId", r -> ((InferenceSample) r).requestId, (r, v) -> ((InferenceSample) r).requestId = v),
    INFERENCE_ERROR_TYPE(RecordKind.INFERENCE, "errorType", r -> ((InferenceSample) r).errorType, (r, v) -> ((InferenceSample) r).errorType = v),
    SYSTEM_HOST(RecordKind.SYSTEM, "host", r -> ((SystemSample) r).host, (r, v) -> ((SystemSample) r).host = v);

    private final RecordKind kind;
    private final String policyName;
    private final Function<Object, String> getter;
    private final BiConsumer<Object, String> setter;

    RecordField(RecordKind kind, String field, Function<Object, String> getter, BiConsumer<Object, String> setter) {
        this.kind = kind;
        this.policyName = kind.name().toLowerCase(Locale.ROOT) + "." + field;
        this.getter = getter;
        this.setter = setter;
    }

    public RecordKind kind() {
        return kind;
    }

    /** The name the policy's {@code fields} section uses, e.g. {@code workload.user}. */
    public String policyName() {
        return policyName;
    }

    String get(Object record) {
        return getter.apply(record);
    }

    void set(Object record, String value) {
        setter.accept(record, value);
    }
}
