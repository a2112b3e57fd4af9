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
public class LateEventDeadLetters extends ProcessFunction<WindowPartial, DeadLetter> {
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
    public void processElement(WindowPartial late, Context ctx, Collector<DeadLetter> out) {
        long watermark = ctx.timerService().currentWatermark();
        Observation event = late.observation;
        if (event == null) {
            // Cannot happen while partials leave the pre-aggregator before the watermark that passes their
            // window; should it, the dead letter still accounts for every event of the partial.
            long events = Math.round(late.accumulator.count);
            metric.inc(events);
            accumulator.add(events);
            String message = late.accumulator.signal + " window partial of " + events + " events at " + ctx.timestamp()
                    + " ms is later than the allowed lateness (" + allowedLatenessMillis + " ms) behind the watermark " + watermark + " ms";
            out.collect(new DeadLetter(AggregateJob.LATE_EVENT, message, "aggregate@" + ctx.timestamp(), late.accumulator.signal,
                    EventJson.toBytes(late.accumulator), System.currentTimeMillis()));
            return;
        }
        metric.inc();
        accumulator.add(1L);
        String message = event.signal + " event at " + event.timestampMillis + " ms is later than the allowed lateness ("
                + allowedLatenessMillis + " ms) behind the watermark " + watermark + " ms";
        out.collect(new DeadLetter(AggregateJob.LATE_EVENT, message, "aggregate@" + event.timestampMillis, event.signal,
                EventJson.toBytes(event), System.currentTimeMillis()));
    }
}
