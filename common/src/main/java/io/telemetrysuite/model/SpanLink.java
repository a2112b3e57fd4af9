package io.telemetrysuite.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A link from a span to a span of another (or the same) trace. */
public class SpanLink {
    public String traceId;
    public String spanId;
    public String traceState = "";
    public Map<String, String> attributes = new HashMap<>();

    public SpanLink() {}

    public SpanLink(String traceId, String spanId, String traceState, Map<String, String> attributes) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.traceState = traceState;
        this.attributes = attributes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpanLink)) return false;
        SpanLink l = (SpanLink) o;
        return Objects.equals(traceId, l.traceId) && Objects.equals(spanId, l.spanId)
                && Objects.equals(traceState, l.traceState) && Objects.equals(attributes, l.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId);
    }

    @Override
    public String toString() {
        return "SpanLink{" + traceId + "/" + spanId + " " + attributes + "}";
    }
}
