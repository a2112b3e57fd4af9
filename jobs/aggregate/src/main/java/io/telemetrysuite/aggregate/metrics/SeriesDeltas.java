package io.telemetrysuite.aggregate.metrics;

import io.telemetrysuite.model.MetricPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per source series (keyed by {@link #sourceSeries}: everything that identifies one process's series,
 * resource attributes included), turns each data point into what it adds to its window.
 *
 * <p>Cumulative points become increases, as Prometheus's {@code rate()} does: the difference to the
 * previous point of the same source series, or the whole new value after a reset (the value, a bucket
 * or the count went down, or {@code startTimeUnixNano} changed). The first point of a series only primes
 * the state: with no earlier point there is no increase to attribute to its window. This is why it runs
 * before sources are merged: two processes' counters cannot be subtracted from each other.
 *
 * <p>Differences need points in time order, so cumulative points are held until the watermark passes
 * them and then taken in timestamp order (a delay of the configured out-of-orderness, which the window waits anyway).
 * A cumulative point not newer than the last one already used for its series cannot be placed any more:
 * it goes to the late output. Gauge and delta points pass through as they are; their windows apply the
 * allowed lateness. A series silent for {@link #STATE_TTL} (processing time) is forgotten, and its next
 * point primes it again.
 */
public class SeriesDeltas extends KeyedProcessFunction<String, MetricPoint, MetricAccumulator> {
    private static final long serialVersionUID = 1L;
    static final Duration STATE_TTL = Duration.ofHours(2);
    static final String CUMULATIVE = "CUMULATIVE";
    static final String DELTA = "DELTA";

    /** Cumulative points that came after a newer point of their series. */
    private final OutputTag<MetricAccumulator> late;
    private transient ValueState<MetricPoint> previous;
    private transient ValueState<Long> newest;
    private transient MapState<Long, List<MetricPoint>> pending;

    public SeriesDeltas(OutputTag<MetricAccumulator> late) {
        this.late = late;
    }

    /** The source series of a point: name, type, temporality, scope, resource attributes and point attributes. */
    public static String sourceSeries(MetricPoint p) {
        StringBuilder key = new StringBuilder().append(p.metricName).append('\u001f').append(p.type).append('\u001f')
                .append(p.aggregationTemporality).append('\u001f').append(p.monotonic).append('\u001f').append(p.serviceName)
                .append('\u001f').append(p.scopeName);
        new TreeMap<>(p.resourceAttributes).forEach((k, v) -> key.append("\u001fr:").append(k).append('=').append(v));
        new TreeMap<>(p.attributes).forEach((k, v) -> key.append("\u001fa:").append(k).append('=').append(v));
        return key.toString();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(STATE_TTL).build();
        ValueStateDescriptor<MetricPoint> previousDescriptor = new ValueStateDescriptor<>("previous", TypeInformation.of(MetricPoint.class));
        previousDescriptor.enableTimeToLive(ttl);
        previous = getRuntimeContext().getState(previousDescriptor);
        ValueStateDescriptor<Long> newestDescriptor = new ValueStateDescriptor<>("newest", Types.LONG);
        newestDescriptor.enableTimeToLive(ttl);
        newest = getRuntimeContext().getState(newestDescriptor);
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(TypeInformation.of(MetricPoint.class))));
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<MetricAccumulator> out) throws Exception {
        long t = ctx.timestamp();
        if (!isCumulative(point)) {
            // Gauges and delta points need no order: they pass straight on to their windows.
            out.collect(contribution(point, t));
            return;
        }
        if (t <= ctx.timerService().currentWatermark()) {
            take(point, t, ctx, out);
            return;
        }
        List<MetricPoint> at = pending.get(t);
        if (at == null) {
            at = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(t);
        }
        at.add(point);
        pending.put(t, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricAccumulator> out) throws Exception {
        List<MetricPoint> at = pending.get(timestamp);
        pending.remove(timestamp);
        if (at != null) {
            for (MetricPoint point : at) take(point, timestamp, ctx, out);
        }
    }

    private void take(MetricPoint p, long t, Context ctx, Collector<MetricAccumulator> out) throws Exception {
        Long newestTime = newest.value();
        if (newestTime != null && t <= newestTime) {
            ctx.output(late, contribution(p, t));
            return;
        }
        newest.update(t);
        MetricPoint before = previous.value();
        previous.update(p);
        if (before == null) return;
        out.collect(increase(before, p, t));
    }

    /** Cumulative monotonic sums and cumulative histograms need the previous point; UNSPECIFIED is taken as cumulative. */
    static boolean isCumulative(MetricPoint p) {
        boolean counted = (MetricPoint.Type.SUM.equals(p.type) && p.monotonic)
                || MetricPoint.Type.HISTOGRAM.equals(p.type) || MetricPoint.Type.EXPONENTIAL_HISTOGRAM.equals(p.type);
        return counted && !DELTA.equals(p.aggregationTemporality);
    }

    /** A point's own contribution: gauges, up-down sums and delta points as reported (also cumulative points, for dead letters). */
    static MetricAccumulator contribution(MetricPoint p, long t) {
        MetricAccumulator a = keyOf(p, t);
        switch (a.metricType) {
            case MetricTypes.SUM -> a.increase = p.value;
            case MetricTypes.HISTOGRAM -> {
                histogramSummary(a, p, p.count, p.sum, p.hasMin && p.hasMax);
                a.bounds = p.explicitBounds.clone();
                a.bucketCounts = p.bucketCounts.clone();
            }
            case MetricTypes.EXPONENTIAL_HISTOGRAM -> {
                histogramSummary(a, p, p.count, p.sum, p.hasMin && p.hasMax);
                exponential(a, p.scale, p.zeroCount, p.zeroThreshold, p.positiveOffset, p.positiveBucketCounts, p.negativeOffset, p.negativeBucketCounts);
            }
            default -> {
                a.last = p.value;
                a.lastTimeMillis = t;
                a.valueSum = p.value;
                a.max = p.value;
            }
        }
        return a;
    }

    /** What a cumulative point adds since the one before it, or all of it after a reset. Min and max are unknown for a difference. */
    static MetricAccumulator increase(MetricPoint before, MetricPoint p, long t) {
        boolean restarted = before.startTimeUnixNano != p.startTimeUnixNano;
        MetricAccumulator a = keyOf(p, t);
        switch (a.metricType) {
            case MetricTypes.SUM -> a.increase = restarted || p.value < before.value ? p.value : p.value - before.value;
            case MetricTypes.HISTOGRAM -> {
                a.bounds = p.explicitBounds.clone();
                boolean reset = restarted || p.count < before.count || !Arrays.equals(p.explicitBounds, before.explicitBounds)
                        || p.bucketCounts.length != before.bucketCounts.length;
                long[] counts = p.bucketCounts.clone();
                if (!reset) {
                    for (int i = 0; i < counts.length; i++) counts[i] -= before.bucketCounts[i];
                    reset = Buckets.anyNegative(counts);
                }
                a.bucketCounts = reset ? p.bucketCounts.clone() : counts;
                histogramSummary(a, p, reset ? p.count : p.count - before.count, reset ? p.sum : p.sum - before.sum, false);
            }
            case MetricTypes.EXPONENTIAL_HISTOGRAM -> {
                // The SDK lowers a cumulative series' scale as its range grows: compare both at the lower one.
                int target = Math.min(before.scale, p.scale);
                int[] o = new int[1];
                long[] nowPositive = Buckets.downscale(p.positiveBucketCounts, p.positiveOffset, p.scale, target, o);
                int nowPositiveOffset = o[0];
                long[] thenPositive = Buckets.downscale(before.positiveBucketCounts, before.positiveOffset, before.scale, target, o);
                long[] positive = Buckets.combine(nowPositive, nowPositiveOffset, thenPositive, o[0], -1, o);
                int positiveOffset = o[0];
                long[] nowNegative = Buckets.downscale(p.negativeBucketCounts, p.negativeOffset, p.scale, target, o);
                int nowNegativeOffset = o[0];
                long[] thenNegative = Buckets.downscale(before.negativeBucketCounts, before.negativeOffset, before.scale, target, o);
                long[] negative = Buckets.combine(nowNegative, nowNegativeOffset, thenNegative, o[0], -1, o);
                int negativeOffset = o[0];
                long zero = p.zeroCount - before.zeroCount;
                boolean reset = restarted || p.count < before.count || zero < 0 || Buckets.anyNegative(positive) || Buckets.anyNegative(negative);
                if (reset) {
                    exponential(a, p.scale, p.zeroCount, p.zeroThreshold, p.positiveOffset, p.positiveBucketCounts, p.negativeOffset,
                            p.negativeBucketCounts);
                    histogramSummary(a, p, p.count, p.sum, false);
                } else {
                    exponential(a, target, zero, p.zeroThreshold, positiveOffset, positive, negativeOffset, negative);
                    histogramSummary(a, p, p.count - before.count, p.sum - before.sum, false);
                }
            }
            default -> throw new IllegalStateException("not a cumulative type: " + a.metricType);
        }
        return a;
    }

    private static MetricAccumulator keyOf(MetricPoint p, long t) {
        MetricAccumulator a = new MetricAccumulator();
        a.metricName = p.metricName;
        a.serviceName = p.serviceName;
        a.metricType = MetricPoint.Type.SUM.equals(p.type) && !p.monotonic ? MetricTypes.UPDOWN_SUM : p.type;
        a.unit = p.unit == null ? "" : p.unit;
        a.labels = new HashMap<>(p.attributes);
        a.timestampMillis = t;
        a.points = 1;
        return a;
    }

    private static void histogramSummary(MetricAccumulator a, MetricPoint p, long count, double sum, boolean minMax) {
        a.count = count;
        a.sum = sum;
        a.hasMinMax = minMax;
        a.min = minMax ? p.min : Double.POSITIVE_INFINITY;
        a.max = minMax ? p.max : Double.NEGATIVE_INFINITY;
    }

    private static void exponential(MetricAccumulator a, int scale, long zeroCount, double zeroThreshold, int positiveOffset, long[] positive,
                                    int negativeOffset, long[] negative) {
        a.scale = scale;
        a.zeroCount = zeroCount;
        a.zeroThreshold = zeroThreshold;
        a.positiveOffset = positiveOffset;
        a.positiveCounts = positive.clone();
        a.negativeOffset = negativeOffset;
        a.negativeCounts = negative.clone();
    }
}
