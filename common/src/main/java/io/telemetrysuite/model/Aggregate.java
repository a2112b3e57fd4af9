package io.telemetrysuite.model;

import java.util.HashMap;
import java.util.Map;

/**
 * One window's aggregate for one key at one resolution: what dashboards, the CEP job and the archive
 * read. One class for every signal so that {@code aggregates.jsonl}, the Kafka topic and the Parquet
 * archive share one schema; fields that do not apply to a signal stay at their defaults.
 *
 * <p>Counts are doubles because they sum adjusted counts: a sampled span kept with probability p
 * counts 1/p, so rates estimated from sampled input stay unbiased.
 */
public class Aggregate {
    /** The window length as configured: {@code 10s}, {@code 1m}, {@code 5m}, {@code 1h}. */
    public String resolution;
    /** Epoch milliseconds, start inclusive, end exclusive. */
    public long windowStart;
    public long windowEnd;
    /** span, workload, system, inference or metric. */
    public String signal;

    // Key fields; empty where they do not apply to the signal.
    public String serviceName = "";
    public String spanName = "";
    public String route = "";
    public String kind = "";
    public String tenant = "";
    public String host = "";
    public String model = "";
    public String metricName = "";
    /** For metric points: the point's attributes, part of the key. */
    public Map<String, String> labels = new HashMap<>();

    /** Requests, spans, records or samples in the window (adjusted for sampling). */
    public double count;
    public double errorCount;
    public double ratePerSecond;

    // Latency (spans: duration; workload: durationMs; inference: durationMs), from a mergeable sketch.
    public double p50Ms;
    public double p90Ms;
    public double p95Ms;
    public double p99Ms;
    public double maxMs;
    public double avgMs;

    // Workload records per tenant (and route).
    public double successCount;
    public double avgMemoryBytes;
    public double avgCpuPercent;

    // System samples per host.
    public double maxCpuPercent;
    public double maxMemoryBytes;

    // Inference samples per model.
    public double tokensPerSecond;
    public double p95TimeToFirstTokenMs;
    public double energyPerTokenJoules;

    // Metric points: gauges (last, avg, max), sums (rate per second, resets handled), histograms. For gauges
    // count is the number of points and sum their total (avg = sum / count); for sums, sum is the increase
    // in the window; for histograms, count and sum are the observations' (see the aggregate job's README).
    public String metricType = "";
    public double last;
    public double avg;
    public double max;
    public double sum;
    public double[] bucketBounds = new double[0];
    public long[] bucketCounts = new long[0];
    /** Metric points: the metric's unit as the instrument declared it (the percentiles and sums below are in it). */
    public String unit = "";
    /**
     * Histograms: true when every merged point reported its min and max (delta points do; deltas computed
     * from cumulative points cannot), so {@link #min} and {@link #max} hold the window's extremes.
     */
    public boolean hasMinMax;
    /** Histograms: smallest observed value, when {@link #hasMinMax}. */
    public double min;
    // Histograms: percentiles interpolated linearly within the merged buckets, in the metric's unit.
    public double p50;
    public double p90;
    public double p95;
    public double p99;
    // Exponential histograms, merged at the smallest scale of their sources (the OTel merge rule).
    public int scale;
    public long zeroCount;
    public double zeroThreshold;
    public int positiveOffset;
    public long[] positiveBucketCounts = new long[0];
    public int negativeOffset;
    public long[] negativeBucketCounts = new long[0];

    /** The sketch the percentiles came from (serialized), so coarser windows merge instead of re-reading events. */
    public byte[] sketch = new byte[0];
    /** True when late data changed a window that had already been emitted: this line replaces the earlier one. */
    public boolean update;

    public Aggregate() {}

    @Override
    public String toString() {
        return "Aggregate{" + resolution + " " + signal + " [" + windowStart + "," + windowEnd + ") " + serviceName + spanName + tenant
                + host + model + metricName + " count=" + count + " errors=" + errorCount + " p99=" + p99Ms + "}";
    }
}
