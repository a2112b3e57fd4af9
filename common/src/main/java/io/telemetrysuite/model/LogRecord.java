package io.telemetrysuite.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One OTLP log record, flattened with its resource and scope. */
public class LogRecord {
    public long timeUnixNano;
    public long observedTimeUnixNano;
    public int severityNumber;
    public String severityText = "";
    /** The body rendered as a string (structured bodies as JSON). */
    public String body = "";
    public String eventName = "";
    /** Hex, or empty when the log is not correlated with a span. */
    public String traceId = "";
    public String spanId = "";
    public int flags;
    public String serviceName = "";
    public String scopeName = "";
    public Map<String, String> attributes = new HashMap<>();
    public Map<String, String> resourceAttributes = new HashMap<>();
    public int droppedAttributesCount;
    public List<String> violations = new ArrayList<>();

    public LogRecord() {}

    /** The record's time: {@code timeUnixNano}, or the observed time when the source set none. */
    public long effectiveTimeUnixNano() {
        return timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
    }

    public String attribute(String key) {
        String value = attributes.get(key);
        return value != null ? value : resourceAttributes.get(key);
    }

    @Override
    public String toString() {
        return "LogRecord{" + serviceName + " " + severityText + " t=" + timeUnixNano + " body=" + body + "}";
    }
}
