package io.telemetrysuite.ingest.sample;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A valid span on its way through the sampler: the few fields sampling decides on, and the span's
 * OTLP protobuf bytes with its resource and scope. Only spans the sampler keeps are mapped to the
 * event model and redacted ({@link KeptSpans}), so a span that is sampled out costs a protobuf copy
 * instead of a full mapping, and the keyBy shuffle moves byte arrays instead of maps of strings.
 *
 * <p>Flink serializes it with {@link SpanEnvelopeSerializer} (through {@link SpanEnvelopeTypeInfo}), not
 * the reflective POJO serializer: keep the two in step when a field is added.
 */
@TypeInfo(SpanEnvelopeTypeInfo.Factory.class)
public class SpanEnvelope {
    public String traceId;
    public String spanId;
    public String serviceName;
    public long startTimeUnixNano;
    public long endTimeUnixNano;
    public boolean error;
    /** {@code http.route}, else the span name: what slow thresholds are keyed by. */
    public String route;
    /** Convention rules the span violated with policy {@code tag}. */
    public List<String> violations = new ArrayList<>();
    public byte[] resource;
    public byte[] scope;
    public byte[] span;

    /** Set by the sampler when it keeps the span. */
    public double adjustedCount = 1.0;
    public String sampledBy;

    public SpanEnvelope() {}

    public long durationNanos() {
        return endTimeUnixNano - startTimeUnixNano;
    }
}
