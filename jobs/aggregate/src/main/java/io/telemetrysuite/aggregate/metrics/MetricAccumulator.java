package io.telemetrysuite.aggregate.metrics;

import io.telemetrysuite.model.Aggregate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * What one metric series contributes to a window, mergeable: one data point's contribution (a gauge
 * value, a counter's increase, a histogram's bucket counts, already turned into deltas where the source
 * was cumulative) merges with others from any source of the same series key, and with a finer window's
 * emitted {@link Aggregate} to make a coarser one. A Flink POJO.
 *
 * <p>The series key ({@link #key()}) is the metric name, its type, {@code service.name} and all point
 * attributes (labels); other resource attributes (host, pod, instance id) are not part of it, which is
 * what merges several sources of one service. Explicit histograms also key on their bucket bounds, so
 * points with different bounds never mix: each layout is its own aggregate.
 */
public class MetricAccumulator {
    /** {@link Aggregate#metricType} of a non-monotonic sum (UpDownCounter): aggregated like a gauge. */
    public static final String UPDOWN_SUM = "UPDOWN_SUM";
    static final char SEPARATOR = '\u001f';

    public String metricName = "";
    public String serviceName = "";
    /** GAUGE, SUM (monotonic), UPDOWN_SUM, HISTOGRAM or EXPONENTIAL_HISTOGRAM. */
    public String metricType = "";
    public String unit = "";
    public Map<String, String> labels = new HashMap<>();
    /** The latest event time merged in, epoch ms. */
    public long timestampMillis;
    /** Data points merged in; 0 means empty. */
    public long points;

    // Gauges and up-down sums.
    public double last;
    public long lastTimeMillis = Long.MIN_VALUE;
    public double valueSum;
    public double max;

    // Monotonic sums: the increase (delta points as reported, cumulative points as differences).
    public double increase;

    // Histograms (both kinds).
    public long count;
    public double sum;
    public boolean hasMinMax;
    public double min;
    public double[] bounds = new double[0];
    public long[] bucketCounts = new long[0];
    public int scale;
    public long zeroCount;
    public double zeroThreshold;
    public int positiveOffset;
    public long[] positiveCounts = new long[0];
    public int negativeOffset;
    public long[] negativeCounts = new long[0];

    public MetricAccumulator() {}

    /** The key of the aggregate this contributes to. */
    public String key() {
        return key(metricName, serviceName, metricType, labels, bounds);
    }

    static String key(String metricName, String serviceName, String metricType, Map<String, String> labels, double[] bounds) {
        StringBuilder key = new StringBuilder().append(metricName).append(SEPARATOR).append(serviceName).append(SEPARATOR).append(metricType);
        new TreeMap<>(labels).forEach((k, v) -> key.append(SEPARATOR).append(k).append('=').append(v));
        if (bounds.length > 0) key.append(SEPARATOR).append("bounds=").append(Arrays.toString(bounds));
        return key.toString();
    }

    /** The key of a metric aggregate; "" for every other signal. */
    public static String key(Aggregate a) {
        return "metric".equals(a.signal) ? key(a.metricName, a.serviceName, a.metricType, a.labels, a.bucketBounds) : "";
    }

    public MetricAccumulator merge(MetricAccumulator o) {
        if (o.points == 0) return this;
        if (points == 0) {
            copyFrom(o);
            return this;
        }
        points += o.points;
        timestampMillis = Math.max(timestampMillis, o.timestampMillis);
        // Ties between sources at the same instant go to the larger value, so the result does not depend on arrival order.
        if (o.lastTimeMillis > lastTimeMillis || (o.lastTimeMillis == lastTimeMillis && o.last > last)) {
            last = o.last;
            lastTimeMillis = o.lastTimeMillis;
        }
        valueSum += o.valueSum;
        increase += o.increase;
        count += o.count;
        sum += o.sum;
        if (isHistogram()) {
            hasMinMax = hasMinMax && o.hasMinMax;
            min = Math.min(min, o.min);
        }
        max = Math.max(max, o.max);
        if (MetricTypes.HISTOGRAM.equals(metricType)) bucketCounts = Buckets.add(bucketCounts, o.bucketCounts);
        if (MetricTypes.EXPONENTIAL_HISTOGRAM.equals(metricType)) mergeExponential(o);
        return this;
    }

    /**
     * The OTel merge rule: both sides at the smaller scale (lower still if the union would exceed
     * {@link Buckets#MAX_BUCKETS} per sign), then bucket-wise sums; the zero bucket's threshold is the larger.
     */
    private void mergeExponential(MetricAccumulator o) {
        int target = Math.min(scale, o.scale);
        target = Buckets.fittingScale(target, scale, positiveOffset, positiveCounts.length, o.scale, o.positiveOffset, o.positiveCounts.length);
        target = Buckets.fittingScale(target, scale, negativeOffset, negativeCounts.length, o.scale, o.negativeOffset, o.negativeCounts.length);
        int[] offset = new int[1];
        long[] mine = Buckets.downscale(positiveCounts, positiveOffset, scale, target, offset);
        int mineOffset = offset[0];
        long[] theirs = Buckets.downscale(o.positiveCounts, o.positiveOffset, o.scale, target, offset);
        positiveCounts = Buckets.combine(mine, mineOffset, theirs, offset[0], 1, offset);
        positiveOffset = offset[0];
        mine = Buckets.downscale(negativeCounts, negativeOffset, scale, target, offset);
        mineOffset = offset[0];
        theirs = Buckets.downscale(o.negativeCounts, o.negativeOffset, o.scale, target, offset);
        negativeCounts = Buckets.combine(mine, mineOffset, theirs, offset[0], 1, offset);
        negativeOffset = offset[0];
        scale = target;
        zeroCount += o.zeroCount;
        zeroThreshold = Math.max(zeroThreshold, o.zeroThreshold);
    }

    boolean isHistogram() {
        return MetricTypes.HISTOGRAM.equals(metricType) || MetricTypes.EXPONENTIAL_HISTOGRAM.equals(metricType);
    }

    /** The window's aggregate; {@code update} marks a re-emission of a window already emitted. */
    public Aggregate toAggregate(String resolution, TimeWindow window, boolean update) {
        Aggregate a = new Aggregate();
        a.resolution = resolution;
        a.windowStart = window.getStart();
        a.windowEnd = window.getEnd();
        a.signal = MetricAggregation.SIGNAL;
        a.serviceName = serviceName;
        a.metricName = metricName;
        a.metricType = metricType;
        a.unit = unit;
        a.labels = new HashMap<>(labels);
        a.update = update;
        double seconds = (window.getEnd() - window.getStart()) / 1000.0;
        switch (metricType) {
            case MetricTypes.SUM -> {
                a.count = points;
                a.sum = increase;
                a.ratePerSecond = increase / seconds;
            }
            case MetricTypes.HISTOGRAM, MetricTypes.EXPONENTIAL_HISTOGRAM -> {
                a.count = count;
                a.sum = sum;
                a.ratePerSecond = count / seconds;
                a.hasMinMax = hasMinMax;
                if (hasMinMax) {
                    a.min = min;
                    a.max = max;
                }
                a.bucketBounds = bounds.clone();
                a.bucketCounts = bucketCounts.clone();
                a.scale = scale;
                a.zeroCount = zeroCount;
                a.zeroThreshold = zeroThreshold;
                a.positiveOffset = positiveOffset;
                a.positiveBucketCounts = positiveCounts.clone();
                a.negativeOffset = negativeOffset;
                a.negativeBucketCounts = negativeCounts.clone();
                a.p50 = quantile(0.50);
                a.p90 = quantile(0.90);
                a.p95 = quantile(0.95);
                a.p99 = quantile(0.99);
            }
            default -> {
                // Gauges and up-down sums.
                a.count = points;
                a.last = last;
                a.sum = valueSum;
                a.avg = points > 0 ? valueSum / points : 0.0;
                a.max = max;
            }
        }
        return a;
    }

    /** The q-quantile from the merged buckets, linear within the bucket holding rank q·count. */
    public double quantile(double q) {
        if (MetricTypes.EXPONENTIAL_HISTOGRAM.equals(metricType)) {
            return Buckets.exponentialQuantile(q, scale, zeroCount, positiveOffset, positiveCounts, negativeOffset, negativeCounts);
        }
        return Buckets.explicitQuantile(q, bounds, bucketCounts, hasMinMax, min, hasMinMax, max);
    }

    /**
     * The state a finer window's aggregate stands for, to merge into a coarser window: exact, since the
     * aggregate carries the sums, counts and buckets themselves. Its "last" is dated at the window's end,
     * which orders finer windows correctly because they do not overlap.
     */
    public static MetricAccumulator of(Aggregate a) {
        MetricAccumulator acc = new MetricAccumulator();
        acc.metricName = a.metricName;
        acc.serviceName = a.serviceName;
        acc.metricType = a.metricType;
        acc.unit = a.unit;
        acc.labels = new HashMap<>(a.labels);
        acc.timestampMillis = a.windowEnd - 1;
        acc.bounds = a.bucketBounds.clone();
        switch (a.metricType) {
            case MetricTypes.SUM -> {
                acc.points = (long) a.count;
                acc.increase = a.sum;
            }
            case MetricTypes.HISTOGRAM, MetricTypes.EXPONENTIAL_HISTOGRAM -> {
                acc.points = 1;
                acc.count = (long) a.count;
                acc.sum = a.sum;
                acc.hasMinMax = a.hasMinMax;
                acc.min = a.hasMinMax ? a.min : Double.POSITIVE_INFINITY;
                acc.max = a.hasMinMax ? a.max : Double.NEGATIVE_INFINITY;
                acc.bucketCounts = a.bucketCounts.clone();
                acc.scale = a.scale;
                acc.zeroCount = a.zeroCount;
                acc.zeroThreshold = a.zeroThreshold;
                acc.positiveOffset = a.positiveOffset;
                acc.positiveCounts = a.positiveBucketCounts.clone();
                acc.negativeOffset = a.negativeOffset;
                acc.negativeCounts = a.negativeBucketCounts.clone();
            }
            default -> {
                acc.points = (long) a.count;
                acc.last = a.last;
                acc.lastTimeMillis = a.windowEnd - 1;
                acc.valueSum = a.sum;
                acc.max = a.max;
            }
        }
        if (acc.points == 0) acc.points = 1;
        return acc;
    }

    private void copyFrom(MetricAccumulator o) {
        metricName = o.metricName;
        serviceName = o.serviceName;
        metricType = o.metricType;
        unit = o.unit;
        labels = new HashMap<>(o.labels);
        timestampMillis = o.timestampMillis;
        points = o.points;
        last = o.last;
        lastTimeMillis = o.lastTimeMillis;
        valueSum = o.valueSum;
        max = o.max;
        increase = o.increase;
        count = o.count;
        sum = o.sum;
        hasMinMax = o.hasMinMax;
        min = o.min;
        bounds = o.bounds.clone();
        bucketCounts = o.bucketCounts.clone();
        scale = o.scale;
        zeroCount = o.zeroCount;
        zeroThreshold = o.zeroThreshold;
        positiveOffset = o.positiveOffset;
        positiveCounts = o.positiveCounts.clone();
        negativeOffset = o.negativeOffset;
        negativeCounts = o.negativeCounts.clone();
    }

    @Override
    public String toString() {
        return "MetricAccumulator{" + metricType + " " + metricName + " " + serviceName + " "
                + labels.entrySet().stream().map(Object::toString).sorted().collect(Collectors.joining(",")) + " points=" + points + "}";
    }
}
