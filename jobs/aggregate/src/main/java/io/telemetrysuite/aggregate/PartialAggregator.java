package io.telemetrysuite.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Merges a window's {@link WindowPartial}s into one {@link AggregateAccumulator}, so window state is
 * one accumulator per key and window.
 */
public class PartialAggregator implements AggregateFunction<WindowPartial, AggregateAccumulator, AggregateAccumulator> {
    private static final long serialVersionUID = 1L;

    private final int kllK;

    public PartialAggregator(int kllK) {
        this.kllK = kllK;
    }

    @Override
    public AggregateAccumulator createAccumulator() {
        return AggregateAccumulator.empty(kllK);
    }

    @Override
    public AggregateAccumulator add(WindowPartial value, AggregateAccumulator accumulator) {
        return accumulator.merge(value.accumulator);
    }

    @Override
    public AggregateAccumulator getResult(AggregateAccumulator accumulator) {
        return accumulator;
    }

    @Override
    public AggregateAccumulator merge(AggregateAccumulator a, AggregateAccumulator b) {
        return a.merge(b);
    }
}
