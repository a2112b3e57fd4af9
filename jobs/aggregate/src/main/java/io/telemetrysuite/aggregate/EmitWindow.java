package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.Aggregate;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns the finest windows' accumulators into {@link Aggregate}s, marking re-emissions as updates. */
public class EmitWindow extends ProcessWindowFunction<AggregateAccumulator, Aggregate, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String resolution;

    public EmitWindow(String resolution) {
        this.resolution = resolution;
    }

    @Override
    public void process(String key, Context context, Iterable<AggregateAccumulator> elements, Collector<Aggregate> out) throws Exception {
        boolean update = WindowEmissions.emittedBefore(context.windowState());
        // An incremental aggregate leaves exactly one accumulator per window.
        AggregateAccumulator accumulator = elements.iterator().next();
        out.collect(accumulator.toAggregate(resolution, context.window(), update));
    }

    @Override
    public void clear(Context context) {
        WindowEmissions.clear(context.windowState());
    }
}
