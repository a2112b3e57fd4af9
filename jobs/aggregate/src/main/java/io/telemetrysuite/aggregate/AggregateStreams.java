package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The aggregate topology's outputs: every resolution's window results in one stream (told apart by
 * {@link Aggregate#resolution}), and the events that came too late for any window, as dead letters
 * with reason {@link AggregateJob#LATE_EVENT}.
 */
public record AggregateStreams(DataStream<Aggregate> aggregates, DataStream<DeadLetter> lateDeadLetters) {}
