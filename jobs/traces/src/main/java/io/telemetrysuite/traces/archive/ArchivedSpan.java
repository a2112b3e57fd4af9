package io.telemetrysuite.traces.archive;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.util.HashMap;
import java.util.Map;

/** One row of the trace archive: a kept span with its trace's decision and figures. A Flink POJO and the Parquet schema's source. */
public class ArchivedSpan {
    public String traceId;
    public String spanId;
    public String parentSpanId;
    public String name;
    public String kind;
    public String serviceName;
    public long startTimeUnixNano;
    public long endTimeUnixNano;
    public long durationNanos;
    public String statusCode;
    public String statusMessage;
    public Map<String, String> attributes = new HashMap<>();
    public Map<String, String> resourceAttributes = new HashMap<>();
    /** The trace's decision (always true in the archive of kept traces) and the policy that made it. */
    public boolean sampled;
    public String policy;
    public boolean late;
    public boolean rootMissing;
    /** Partition time: the trace's start, so a trace stays in one date/hour partition. */
    public long traceStartTimeUnixNano;
    public long traceDurationNanos;

    public ArchivedSpan() {}

    public static ArchivedSpan of(Trace trace, Span span) {
        ArchivedSpan row = new ArchivedSpan();
        row.traceId = span.traceId;
        row.spanId = span.spanId;
        row.parentSpanId = span.parentSpanId;
        row.name = span.name;
        row.kind = span.kind;
        row.serviceName = span.serviceName;
        row.startTimeUnixNano = span.startTimeUnixNano;
        row.endTimeUnixNano = span.endTimeUnixNano;
        row.durationNanos = span.durationNanos();
        row.statusCode = span.statusCode;
        row.statusMessage = span.statusMessage;
        row.attributes = span.attributes;
        row.resourceAttributes = span.resourceAttributes;
        row.sampled = trace.sampled;
        row.policy = trace.policy;
        row.late = trace.late;
        row.rootMissing = trace.rootMissing;
        row.traceStartTimeUnixNano = trace.startTimeUnixNano;
        row.traceDurationNanos = trace.durationNanos;
        return row;
    }
}
