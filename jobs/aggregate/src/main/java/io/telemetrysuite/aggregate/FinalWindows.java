package io.telemetrysuite.aggregate;

import io.telemetrysuite.aggregate.metrics.MetricAccumulator;
import io.telemetrysuite.model.Aggregate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Holds each window's aggregate until the window can no longer change (its end plus the allowed
 * lateness, in event time) and emits it once, with the latest figures.
 *
 * <p>For sinks that cannot take an update: Prometheus keeps the first sample it receives for a series
 * and timestamp and refuses a different value later, so a late update sent there would be lost while
 * the first, smaller figure stayed. Kafka and the files get every emission; Prometheus gets this.
 */
public class FinalWindows extends KeyedProcessFunction<String, Aggregate, Aggregate> {
    private static final long serialVersionUID = 1L;

    private final long allowedLatenessMillis;
    private transient ValueState<Aggregate> latest;

    public FinalWindows(long allowedLatenessMillis) {
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    /** Final aggregates only, one per (key, resolution, window). */
    public static DataStream<Aggregate> of(DataStream<Aggregate> aggregates, AggregateConfig config) {
        // Metric aggregates of one service share the AggregateKey: their series key tells them apart.
        return aggregates
                .keyBy(a -> a.resolution + '|' + a.windowStart + '|' + AggregateKey.of(a) + MetricAccumulator.key(a), Types.STRING)
                .process(new FinalWindows(config.allowedLateness.toMillis()))
                .uid("aggregate-final-windows")
                .name("Final windows");
    }

    @Override
    public void open(OpenContext openContext) {
        latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest", Aggregate.class));
    }

    @Override
    public void processElement(Aggregate aggregate, Context ctx, Collector<Aggregate> out) throws Exception {
        if (latest.value() == null) {
            ctx.timerService().registerEventTimeTimer(aggregate.windowEnd - 1 + allowedLatenessMillis);
        }
        latest.update(aggregate);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Aggregate> out) throws Exception {
        Aggregate aggregate = latest.value();
        aggregate.update = false;
        out.collect(aggregate);
        latest.clear();
    }
}
