package io.telemetrysuite.aggregate.metrics;

import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.LateEventDeadLetters;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Metric points no window takes any more, as dead letters with reason {@link AggregateJob#LATE_EVENT}:
 * points later than the allowed lateness, and cumulative points older than the newest point already
 * used for their source series. Counted in the same metric and accumulator as late events of the other
 * signals ({@link LateEventDeadLetters#LATE_EVENTS}); the raw bytes are the point's contribution as JSON.
 */
public class LateMetricDeadLetters extends ProcessFunction<MetricAccumulator, DeadLetter> {
    private static final long serialVersionUID = 1L;

    /** Why no window takes the point, as the message says it. */
    private final String why;
    private transient Counter metric;
    private transient LongCounter accumulator;

    public LateMetricDeadLetters(String why) {
        this.why = why;
    }

    @Override
    public void open(OpenContext openContext) {
        metric = getRuntimeContext().getMetricGroup().addGroup("aggregate").counter(LateEventDeadLetters.LATE_EVENTS);
        // Get-or-create: should two late paths ever chain into one task, they share the counter instead of clashing on its name.
        accumulator = getRuntimeContext().getLongCounter(LateEventDeadLetters.LATE_EVENTS);
    }

    @Override
    public void processElement(MetricAccumulator late, Context ctx, Collector<DeadLetter> out) {
        metric.inc();
        accumulator.add(1L);
        long watermark = ctx.timerService().currentWatermark();
        String message = "metric point " + late.metricName + " of " + late.serviceName + " at " + late.timestampMillis + " ms " + why
                + " (watermark " + watermark + " ms)";
        out.collect(new DeadLetter(AggregateJob.LATE_EVENT, message, "aggregate@" + late.timestampMillis, MetricAggregation.SIGNAL,
                EventJson.toBytes(late), System.currentTimeMillis()));
    }
}
