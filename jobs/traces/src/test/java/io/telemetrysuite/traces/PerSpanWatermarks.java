package io.telemetrysuite.traces;

import io.telemetrysuite.model.Span;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The job's event time (span end), with a watermark after every span, so a test decides exactly when deadlines pass. */
final class PerSpanWatermarks {
    private PerSpanWatermarks() {}

    static WatermarkStrategy<Span> of(Duration outOfOrderness) {
        long lag = outOfOrderness.toMillis();
        return WatermarkStrategy.<Span>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + lag + 1;

            @Override
            public void onEvent(Span span, long timestamp, WatermarkOutput output) {
                max = Math.max(max, timestamp);
                output.emitWatermark(new Watermark(max - lag - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((span, previous) -> span.endTimeUnixNano / 1_000_000L);
    }
}
