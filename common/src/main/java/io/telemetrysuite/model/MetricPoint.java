package io.telemetrysuite.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One OTLP metric data point with its metric's name, type and resource: a gauge or sum value, a
 * histogram, an exponential histogram or a summary. Fields that do not apply to the point's type stay
 * at their defaults.
 */
public class MetricPoint {
    public String metricName;
    public String description = "";
    public String unit = "";
    /** GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM or SUMMARY. */
    public String type;
    public String serviceName = "";
    public String scopeName = "";
    public Map<String, String> attributes = new HashMap<>();
    public Map<String, String> resourceAttributes = new HashMap<>();
    public long startTimeUnixNano;
    public long timeUnixNano;
    public int flags;

    /** GAUGE and SUM: the value (integer points are widened to double). */
    public double value;
    /** SUM only. */
    public boolean monotonic;
    /** SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM: DELTA, CUMULATIVE or UNSPECIFIED. */
    public String aggregationTemporality = "UNSPECIFIED";

    /** HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY. */
    public long count;
    public double sum;
    public boolean hasMin;
    public double min;
    public boolean hasMax;
    public double max;

    /** HISTOGRAM: bucketCounts has one more entry than explicitBounds. */
    public long[] bucketCounts = new long[0];
    public double[] explicitBounds = new double[0];

    /** EXPONENTIAL_HISTOGRAM. */
    public int scale;
    public long zeroCount;
    public double zeroThreshold;
    public int positiveOffset;
    public long[] positiveBucketCounts = new long[0];
    public int negativeOffset;
    public long[] negativeBucketCounts = new long[0];

    /** SUMMARY: quantile/value pairs. */
    public double[] quantiles = new double[0];
    public double[] quantileValues = new double[0];

    public List<String> violations = new ArrayList<>();

    public MetricPoint() {}

    public String attribute(String key) {
        String value = attributes.get(key);
        return value != null ? value : resourceAttributes.get(key);
    }

    /** The values {@link #type} takes. */
    public static final class Type {
        public static final String GAUGE = "GAUGE";
        public static final String SUM = "SUM";
        public static final String HISTOGRAM = "HISTOGRAM";
        public static final String EXPONENTIAL_HISTOGRAM = "EXPONENTIAL_HISTOGRAM";
        public static final String SUMMARY = "SUMMARY";

        private Type() {}
    }

    @Override
    public String toString() {
        return "MetricPoint{" + type + " " + metricName + " " + serviceName + " t=" + timeUnixNano
                + " value=" + value + " count=" + count + " attributes=" + attributes + "}";
    }
}
