package io.telemetrysuite.prometheus;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One sample for Prometheus: a metric name, labels, a value and its timestamp in epoch
 * milliseconds. What a {@link PrometheusSink}'s mapper turns each element into.
 *
 * <p>Names are checked here, when the sample is made, because Prometheus rejects a whole remote-write
 * request for one bad name, long after the element that caused it is gone. Label values are free
 * text; labels with empty values are dropped (Prometheus treats an empty label as absent).
 *
 * @param metric the metric name ({@code __name__})
 * @param labels the other labels, sorted by name
 * @param value the value
 * @param timestampMillis epoch milliseconds: the event time, not the time of writing
 */
public record PrometheusSample(String metric, SortedMap<String, String> labels, double value, long timestampMillis)
        implements Serializable {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Checks the names and copies the labels into an unmodifiable sorted map. */
    public PrometheusSample {
        Objects.requireNonNull(metric, "metric");
        if (!METRIC_NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("Not a Prometheus metric name: '" + metric + "' (must match " + METRIC_NAME + ")");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> label : Objects.requireNonNull(labels, "labels").entrySet()) {
            String name = label.getKey();
            if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("Not a Prometheus label name: '" + name + "' on " + metric
                        + " (must match " + LABEL_NAME + "; names starting with __ are reserved)");
            }
            if (label.getValue() != null && !label.getValue().isEmpty()) copy.put(name, label.getValue());
        }
        labels = Collections.unmodifiableSortedMap(copy);
    }

    /** A sample of {@code metric} with {@code labels}. */
    public static PrometheusSample of(String metric, Map<String, String> labels, double value, long timestampMillis) {
        return new PrometheusSample(metric, new TreeMap<>(labels), value, timestampMillis);
    }

    /** A sample of {@code metric} without labels. */
    public static PrometheusSample of(String metric, double value, long timestampMillis) {
        return of(metric, Map.of(), value, timestampMillis);
    }

    /** The series this sample belongs to: every label including {@code __name__}, sorted by name. */
    SortedMap<String, String> seriesLabels() {
        TreeMap<String, String> all = new TreeMap<>(labels);
        all.put("__name__", metric);
        return all;
    }
}
