package io.telemetrysuite.flink;

import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Each event type's event time in epoch milliseconds, declared once so that every job windows and
 * matches on the same clock: a span at its start (the trace job, which waits for a trace's last span
 * to end, uses {@link Span#endTimeUnixNano} instead), a log record at its time or else when it was
 * observed, an aggregate at its window's last millisecond, a dead letter when it was dead-lettered.
 */
public final class EventTime {
    private EventTime() {}

    public static long of(Span span) {
        return span.startTimeUnixNano / 1_000_000L;
    }

    public static long of(MetricPoint point) {
        return point.timeUnixNano / 1_000_000L;
    }

    public static long of(LogRecord log) {
        return (log.timeUnixNano != 0 ? log.timeUnixNano : log.observedTimeUnixNano) / 1_000_000L;
    }

    public static long of(WorkloadRecord record) {
        return record.timestampMillis;
    }

    public static long of(SystemSample sample) {
        return sample.timestampMillis;
    }

    public static long of(InferenceSample sample) {
        return sample.timestampMillis;
    }

    public static long of(Aggregate aggregate) {
        return aggregate.windowEnd - 1;
    }

    public static long of(DeadLetter deadLetter) {
        return deadLetter.deadLetteredAtMillis;
    }

    /** The timestamp assigner of a model type; refuses a type without an event time. */
    @SuppressWarnings("unchecked")
    public static <T> SerializableTimestampAssigner<T> assigner(Class<T> type) {
        SerializableTimestampAssigner<?> assigner;
        if (type == Span.class) assigner = (SerializableTimestampAssigner<Span>) (e, previous) -> of(e);
        else if (type == MetricPoint.class) assigner = (SerializableTimestampAssigner<MetricPoint>) (e, previous) -> of(e);
        else if (type == LogRecord.class) assigner = (SerializableTimestampAssigner<LogRecord>) (e, previous) -> of(e);
        else if (type == WorkloadRecord.class) assigner = (SerializableTimestampAssigner<WorkloadRecord>) (e, previous) -> of(e);
        else if (type == SystemSample.class) assigner = (SerializableTimestampAssigner<SystemSample>) (e, previous) -> of(e);
        else if (type == InferenceSample.class) assigner = (SerializableTimestampAssigner<InferenceSample>) (e, previous) -> of(e);
        else if (type == Aggregate.class) assigner = (SerializableTimestampAssigner<Aggregate>) (e, previous) -> of(e);
        else if (type == DeadLetter.class) assigner = (SerializableTimestampAssigner<DeadLetter>) (e, previous) -> of(e);
        else throw new IllegalArgumentException("No event time is declared for " + type.getName());
        return (SerializableTimestampAssigner<T>) assigner;
    }

    /**
     * Watermarks trailing the largest timestamp by {@code maxOutOfOrderness}. With {@code idleness}, an
     * input that stays silent that long (in processing time) stops holding the others back; pass null
     * for bounded inputs, whose end releases them anyway: there, idleness only risks declaring an input
     * that is merely slow (a stalled consumer, back-pressure) idle, after which its events are late.
     */
    public static <T> WatermarkStrategy<T> boundedOutOfOrderness(Class<T> type, Duration maxOutOfOrderness, @Nullable Duration idleness) {
        WatermarkStrategy<T> strategy = WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness).withTimestampAssigner(assigner(type));
        return idleness == null ? strategy : strategy.withIdleness(idleness);
    }
}
