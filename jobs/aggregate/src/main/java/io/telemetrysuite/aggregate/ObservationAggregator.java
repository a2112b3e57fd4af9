package io.telemetrysuite.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds a window's events into an {@link AggregateAccumulator} as they arrive, so window state is one
 * accumulator per key and window instead of the list of events.
 */
public class ObservationAggregator implements AggregateFunction<Observation, AggregateAccumulator, AggregateAccumulator> {
    private static final long serialVersionUID = 1L;

    private final int kllK;

    public ObservationAggregator(int kllK) {
        this.kllK = kllK;
    }

    @Override
    public AggregateAccumulator createAccumulator() {
        return AggregateAccumulator.empty(kllK);
    }

    @Override
    public AggregateAccumulator add(Observation value, AggregateAccumulator accumulator) {
        accumulator.add(value);
        return accumulator;
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
