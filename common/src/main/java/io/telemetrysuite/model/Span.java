package io.telemetrysuite.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One OpenTelemetry span, flattened with its resource and scope, plus what ingest decided about it.
 *
 * <p>Flink serializes it with the hand-written {@link SpanSerializer} (through {@link SpanTypeInfo}),
 * not as a POJO: spans cross the trace job's keyBy and sit in its keyed state in large numbers. A new
 * field must be added to {@link SpanSerializer} too, with a new version of its layout.
 */
@TypeInfo(SpanTypeInfo.Factory.class)
public class Span {
    /** 32 lowercase hex characters. */
    public String traceId;
    /** 16 lowercase hex characters. */
    public String spanId;
    /** 16 lowercase hex characters, or empty for a root span. */
    public String parentSpanId = "";
    public String traceState = "";
    public String name;
    /** OTLP span kind without its prefix: INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER or UNSPECIFIED. */
    public String kind = "UNSPECIFIED";
    public long startTimeUnixNano;
    public long endTimeUnixNano;
    /** UNSET, OK or ERROR. */
    public String statusCode = "UNSET";
    public String statusMessage = "";
    /** The resource's {@code service.name}. */
    public String serviceName = "";
    public String scopeName = "";
    public String scopeVersion = "";
    public Map<String, String> attributes = new HashMap<>();
    public Map<String, String> resourceAttributes = new HashMap<>();
    public List<SpanEvent> events = new ArrayList<>();
    public List<SpanLink> links = new ArrayList<>();
    public int flags;
    public int droppedAttributesCount;
    public int droppedEventsCount;
    public int droppedLinksCount;

    /** How many spans this one stands for after sampling (1/p); 1 when kept unconditionally. */
    public double adjustedCount = 1.0;
    /** Why the span was kept: {@code all} (sampling off), {@code error}, {@code slow} or {@code probability}. */
    public String sampledBy = SampledBy.ALL;
    /** Ids of the semantic-convention rules this span violated (tagged, not rejected). */
    public List<String> violations = new ArrayList<>();

    public Span() {}

    public long durationNanos() {
        return endTimeUnixNano - startTimeUnixNano;
    }

    public boolean isRoot() {
        return parentSpanId == null || parentSpanId.isEmpty();
    }

    public boolean isError() {
        return "ERROR".equals(statusCode);
    }

    /** An attribute of the span, or else of its resource. */
    public String attribute(String key) {
        String value = attributes.get(key);
        return value != null ? value : resourceAttributes.get(key);
    }

    /** The values {@link #sampledBy} takes. */
    public static final class SampledBy {
        public static final String ALL = "all";
        public static final String ERROR = "error";
        public static final String SLOW = "slow";
        public static final String PROBABILITY = "probability";

        private SampledBy() {}
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Span)) return false;
        Span s = (Span) o;
        return startTimeUnixNano == s.startTimeUnixNano
                && endTimeUnixNano == s.endTimeUnixNano
                && flags == s.flags
                && droppedAttributesCount == s.droppedAttributesCount
                && droppedEventsCount == s.droppedEventsCount
                && droppedLinksCount == s.droppedLinksCount
                && Double.compare(adjustedCount, s.adjustedCount) == 0
                && Objects.equals(traceId, s.traceId)
                && Objects.equals(spanId, s.spanId)
                && Objects.equals(parentSpanId, s.parentSpanId)
                && Objects.equals(traceState, s.traceState)
                && Objects.equals(name, s.name)
                && Objects.equals(kind, s.kind)
                && Objects.equals(statusCode, s.statusCode)
                && Objects.equals(statusMessage, s.statusMessage)
                && Objects.equals(serviceName, s.serviceName)
                && Objects.equals(scopeName, s.scopeName)
                && Objects.equals(scopeVersion, s.scopeVersion)
                && Objects.equals(attributes, s.attributes)
                && Objects.equals(resourceAttributes, s.resourceAttributes)
                && Objects.equals(events, s.events)
                && Objects.equals(links, s.links)
                && Objects.equals(sampledBy, s.sampledBy)
                && Objects.equals(violations, s.violations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId);
    }

    @Override
    public String toString() {
        return "Span{" + serviceName + " " + name + " trace=" + traceId + " span=" + spanId
                + " parent=" + parentSpanId + " kind=" + kind + " status=" + statusCode
                + " start=" + startTimeUnixNano + " end=" + endTimeUnixNano
                + " attributes=" + attributes + "}";
    }
}
