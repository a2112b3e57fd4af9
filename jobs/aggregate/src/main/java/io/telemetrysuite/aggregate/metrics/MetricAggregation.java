package io.telemetrysuite.aggregate.metrics;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateStreams;
import io.telemetrysuite.aggregate.WindowEmissions;
import io.telemetrysuite.flink.EventTime;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.MetricPoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * OTLP metric points into window aggregates (signal {@code metric}) at every configured resolution:
 *
 * <pre>
 *   metric points ─▶ watermarks ─▶ keyBy(source series) ─▶ deltas ─▶ keyBy(series) ─▶ window 10s ─┬─▶ aggregates
 *                                        late cumulative │                   late │               └─▶ roll up 1m ─▶ 5m ─▶ 1h
 *                                                        └──────────────┬─────────┘
 *                                                                       └─▶ dead letters (late_event)
 * </pre>
 *
 * Gauges and up-down sums give last, avg and max; monotonic sums their increase and rate; histograms
 * their merged buckets, count, sum and percentiles. {@link SeriesDeltas} turns cumulative points into
 * increases per source series, so sources merge by addition; coarser windows merge the finer results
 * ({@link MetricAccumulator#of(Aggregate)}). Summary points are dropped: their quantiles cannot be merged
 * across sources or windows.
 */
public final class MetricAggregation {
    /** {@link Aggregate#signal} of metric-point aggregates. */
    public static final String SIGNAL = "metric";

    private static final OutputTag<MetricAccumulator> LATE = new OutputTag<>("late-metric-points", TypeInformation.of(MetricAccumulator.class));
    private static final OutputTag<MetricAccumulator> OUT_OF_ORDER = new OutputTag<>("out-of-order-cumulative-points",
            TypeInformation.of(MetricAccumulator.class));

    private MetricAggregation() {}

    /** Metric points' event time on bounded inputs: their {@code timeUnixNano}, with the job's out-of-orderness. */
    public static WatermarkStrategy<MetricPoint> watermarkStrategy(AggregateConfig config) {
        return EventTime.boundedOutOfOrderness(MetricPoint.class, config.maxOutOfOrderness, null);
    }

    /** As {@link #attach(DataStream, AggregateConfig, WatermarkStrategy)} with {@link #watermarkStrategy}. */
    public static AggregateStreams attach(DataStream<MetricPoint> metrics, AggregateConfig config) {
        return attach(metrics, config, watermarkStrategy(config));
    }

    /**
     * The metric-point aggregates at every resolution of {@code config}, and the late points as dead
     * letters; {@code watermarks} null when the points already carry event time (from a Kafka source).
     */
    public static AggregateStreams attach(DataStream<MetricPoint> metrics, AggregateConfig config,
                                          @Nullable WatermarkStrategy<MetricPoint> watermarks) {
        int parallelism = metrics.getParallelism();
        DataStream<MetricPoint> points = metrics
                .filter(p -> !MetricPoint.Type.SUMMARY.equals(p.type))
                .setParallelism(parallelism)
                .name("Metric points without summaries");
        if (watermarks != null) {
            points = points.assignTimestampsAndWatermarks(watermarks)
                    .setParallelism(parallelism)
                    .uid("aggregate-metric-watermarks")
                    .name("Metric event time");
        }
        SingleOutputStreamOperator<MetricAccumulator> contributions = points
                .keyBy(SeriesDeltas::sourceSeries, Types.STRING)
                .process(new SeriesDeltas(OUT_OF_ORDER))
                .returns(MetricAccumulator.class)
                .uid("aggregate-metric-deltas")
                .name("Metric deltas per source series");

        List<Duration> resolutions = config.resolutions;
        String finest = AggregateConfig.label(resolutions.get(0));
        SingleOutputStreamOperator<Aggregate> level = contributions
                .keyBy(MetricAccumulator::key, Types.STRING)
                .window(TumblingEventTimeWindows.of(resolutions.get(0)))
                .allowedLateness(config.allowedLateness)
                .sideOutputLateData(LATE)
                .aggregate(new Merge(), new Emit(finest), TypeInformation.of(MetricAccumulator.class),
                        TypeInformation.of(MetricAccumulator.class), TypeInformation.of(Aggregate.class))
                .uid("aggregate-metric-window-" + finest)
                .name("Metric window " + finest);
        DataStream<DeadLetter> late = level.getSideOutput(LATE)
                .process(new LateMetricDeadLetters("is later than the allowed lateness (" + config.allowedLateness.toMillis() + " ms)"))
                .uid("aggregate-metric-late-points")
                .name("Late metric points to dead letters")
                .union(contributions.getSideOutput(OUT_OF_ORDER)
                        .process(new LateMetricDeadLetters("is cumulative and not newer than the last point of its series"))
                        .uid("aggregate-metric-out-of-order-points")
                        .name("Out-of-order cumulative points to dead letters"));

        DataStream<Aggregate> all = level;
        for (Duration resolution : resolutions.subList(1, resolutions.size())) {
            String label = AggregateConfig.label(resolution);
            level = level
                    .keyBy(MetricAccumulator::key, Types.STRING)
                    .window(TumblingEventTimeWindows.of(resolution))
                    .allowedLateness(config.allowedLateness)
                    .process(new RollUp(label))
                    .uid("aggregate-metric-rollup-" + label)
                    .name("Metric roll up to " + label);
            all = all.union(level);
        }
        return new AggregateStreams(all, late);
    }

    /** Merges a window's contributions as they arrive: one accumulator per series and window in state. */
    static final class Merge implements AggregateFunction<MetricAccumulator, MetricAccumulator, MetricAccumulator> {
        private static final long serialVersionUID = 1L;

        @Override
        public MetricAccumulator createAccumulator() {
            return new MetricAccumulator();
        }

        @Override
        public MetricAccumulator add(MetricAccumulator value, MetricAccumulator accumulator) {
            return accumulator.merge(value);
        }

        @Override
        public MetricAccumulator getResult(MetricAccumulator accumulator) {
            return accumulator;
        }

        @Override
        public MetricAccumulator merge(MetricAccumulator a, MetricAccumulator b) {
            return a.merge(b);
        }
    }

    /** The finest window's accumulator as an {@link Aggregate}, marking re-emissions as updates. */
    static final class Emit extends ProcessWindowFunction<MetricAccumulator, Aggregate, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String resolution;

        Emit(String resolution) {
            this.resolution = resolution;
        }

        @Override
        public void process(String key, Context context, Iterable<MetricAccumulator> elements, Collector<Aggregate> out) throws Exception {
            boolean update = WindowEmissions.emittedBefore(context.windowState());
            out.collect(elements.iterator().next().toAggregate(resolution, context.window(), update));
        }

        @Override
        public void clear(Context context) {
            WindowEmissions.clear(context.windowState());
        }
    }

    /**
     * A coarser window from the finer windows' results: sums of increases and counts, merged buckets,
     * the last of the lasts, the max of the maxes, the average weighted by points. A re-emitted finer
     * window (update) replaces its earlier result: the last one per finer window start counts.
     */
    static final class RollUp extends ProcessWindowFunction<Aggregate, Aggregate, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String resolution;

        RollUp(String resolution) {
            this.resolution = resolution;
        }

        @Override
        public void process(String key, Context context, Iterable<Aggregate> finer, Collector<Aggregate> out) throws Exception {
            Map<Long, Aggregate> latestByStart = new LinkedHashMap<>();
            for (Aggregate a : finer) latestByStart.put(a.windowStart, a);
            MetricAccumulator total = new MetricAccumulator();
            for (Aggregate a : latestByStart.values()) total.merge(MetricAccumulator.of(a));
            out.collect(total.toAggregate(resolution, context.window(), WindowEmissions.emittedBefore(context.windowState())));
        }

        @Override
        public void clear(Context context) {
            WindowEmissions.clear(context.windowState());
        }
    }
}
