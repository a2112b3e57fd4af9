package io.telemetrysuite.ingest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A count that is both a Flink metric (live, per subtask, scraped by the Prometheus reporter under
 * {@code <operator>_ingest_<name>}) and a job accumulator (summed over subtasks when a bounded run
 * ends, which is what {@code counters.json} reports). One increment feeds both, so they cannot drift.
 */
public final class PipelineCounter {
    public static final String RECEIVED = "received";
    public static final String ACCEPTED = "accepted";
    public static final String SAMPLED_OUT = "sampledOut";
    public static final String DEAD_LETTERED = "deadLettered";

    private final Counter metric;
    private final LongCounter accumulator;

    private PipelineCounter(Counter metric, LongCounter accumulator) {
        this.metric = metric;
        this.accumulator = accumulator;
    }

    public static PipelineCounter register(RuntimeContext context, String name) {
        LongCounter accumulator = new LongCounter();
        context.addAccumulator(name, accumulator);
        Counter metric = context.getMetricGroup().addGroup("ingest").counter(name);
        return new PipelineCounter(metric, accumulator);
    }

    public void inc() {
        metric.inc();
        accumulator.add(1L);
    }

    public void inc(long n) {
        metric.inc(n);
        accumulator.add(n);
    }
}
