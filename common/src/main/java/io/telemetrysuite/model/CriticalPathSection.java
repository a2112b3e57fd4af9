package io.telemetrysuite.model;

/** One section of a trace's critical path: a span and the time on the path that is its own. */
public class CriticalPathSection {
    public String spanId = "";
    public String serviceName = "";
    public String name = "";
    /** Nanoseconds of the critical path spent in this span itself, not in a child on the path. */
    public long selfNanos;

    public CriticalPathSection() {}

    public CriticalPathSection(String spanId, String serviceName, String name, long selfNanos) {
        this.spanId = spanId;
        this.serviceName = serviceName;
        this.name = name;
        this.selfNanos = selfNanos;
    }

    @Override
    public String toString() {
        return serviceName + "/" + name + "(" + spanId + ")=" + selfNanos;
    }
}
