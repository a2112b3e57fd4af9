package io.telemetrysuite.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A time-stamped event inside a span (for example an exception). */
public class SpanEvent {
    public long timeUnixNano;
    public String name;
    public Map<String, String> attributes = new HashMap<>();

    public SpanEvent() {}

    public SpanEvent(long timeUnixNano, String name, Map<String, String> attributes) {
        this.timeUnixNano = timeUnixNano;
        this.name = name;
        this.attributes = attributes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpanEvent)) return false;
        SpanEvent e = (SpanEvent) o;
        return timeUnixNano == e.timeUnixNano && Objects.equals(name, e.name) && Objects.equals(attributes, e.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeUnixNano, name, attributes);
    }

    @Override
    public String toString() {
        return "SpanEvent{" + name + "@" + timeUnixNano + " " + attributes + "}";
    }
}
