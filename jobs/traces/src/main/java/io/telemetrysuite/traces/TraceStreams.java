package io.telemetrysuite.traces;

import io.telemetrysuite.model.Trace;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The trace topology's outputs.
 *
 * @param allTraces every assembled trace and late fragment with its spans, before the sampling
 *     decision removes any: what the service graph reads (it must see the traces sampling drops)
 * @param keptTraces the sampled ones, with spans: the kept-traces topic and the Parquet archive
 * @param summaries every trace and late fragment without spans (figures, decision, critical path):
 *     the summaries topic and {@code traces.jsonl}
 */
public record TraceStreams(DataStream<Trace> allTraces, DataStream<Trace> keptTraces, DataStream<Trace> summaries) {}
