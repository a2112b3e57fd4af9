package io.telemetrysuite.aggregate;

import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Events later than the allowed lateness, which no window will take any more: counted (metric
 * {@code aggregate.lateEvents} and accumulator {@code lateEvents}) and turned into dead letters with
 * reason {@link AggregateJob#LATE_EVENT}. The raw bytes are the observation as JSON (key fields, event
 * time, measurements): the original record was already written by ingest.
 */
public class LateEventDeadLetters extends ProcessFunction<Observation, DeadLetter> {
    private static final long serialVersionUID = 1L;
    public static final String LATE_EVENTS = "lateEvents";

    private final long allowedLatenessMillis;
    private transient Counter metric;
    private transient LongCounter accumulator;

    public LateEventDeadLetters(long allowedLatenessMillis) {
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        metric = getRuntimeContext().getMetricGroup().addGroup("aggregate").counter(LATE_EVENTS);
        accumulator = new LongCounter();
        getRuntimeContext().addAccumulator(LATE_EVENTS, accumulator);
    }

    @Override
    public void processElement(Observation late, Context ctx, Collector<DeadLetter> out) {
        metric.inc();
        accumulator.add(1L);
        long watermark = ctx.timerService().currentWatermark();
        String message = late.signal + " event at " + late.timestampMillis + " ms is later than the allowed lateness ("
                + allowedLatenessMillis + " ms) behind the watermark " + watermark + " ms";
        out.collect(new DeadLetter(AggregateJob.LATE_EVENT, message, "aggregate@" + late.timestampMillis, late.signal,
                EventJson.toBytes(late), System.currentTimeMillis()));
    }
}
