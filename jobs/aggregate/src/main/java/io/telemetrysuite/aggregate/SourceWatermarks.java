package io.telemetrysuite.aggregate;

import io.telemetrysuite.flink.EventTime;
import java.time.Duration;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark strategy a Kafka source applies, per event type. Inside the source (Flink's
 * {@code fromSource(source, strategy)}) watermarks are generated per partition and the source emits
 * their minimum, so one partition read ahead of another (after a restart, or at a parallelism below
 * the partition count) cannot make the other's events late, as a strategy applied after the source would.
 */
public interface SourceWatermarks {
    <T> WatermarkStrategy<T> of(Class<T> type);

    /** {@link EventTime}'s timestamps, watermarks trailing them by {@code maxOutOfOrderness}; idleness as {@link EventTime#boundedOutOfOrderness}. */
    static SourceWatermarks boundedOutOfOrderness(Duration maxOutOfOrderness, @Nullable Duration idleness) {
        return new SourceWatermarks() {
            @Override
            public <T> WatermarkStrategy<T> of(Class<T> type) {
                return EventTime.boundedOutOfOrderness(type, maxOutOfOrderness, idleness);
            }
        };
    }
}
