package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.Aggregate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * A coarser window computed from the finer windows' results: their sums add and their sketches merge,
 * so no raw event is read twice. When late data re-emitted a finer window (update = true), only its
 * latest result counts: results arrive in emission order per key, so the last one per finer window
 * start replaces the earlier ones. State is the few finer results of the window (6, 5 and 12 with the
 * default resolutions), not events.
 */
public class RollUpWindow extends ProcessWindowFunction<Aggregate, Aggregate, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String resolution;
    private final int kllK;

    public RollUpWindow(String resolution, int kllK) {
        this.resolution = resolution;
        this.kllK = kllK;
    }

    @Override
    public void process(String key, Context context, Iterable<Aggregate> finer, Collector<Aggregate> out) throws Exception {
        Map<Long, Aggregate> latestByStart = new LinkedHashMap<>();
        for (Aggregate a : finer) latestByStart.put(a.windowStart, a);
        AggregateAccumulator total = AggregateAccumulator.empty(kllK);
        for (Aggregate a : latestByStart.values()) total.merge(AggregateAccumulator.of(a));
        out.collect(total.toAggregate(resolution, context.window(), WindowEmissions.emittedBefore(context.windowState())));
    }

    @Override
    public void clear(Context context) {
        WindowEmissions.clear(context.windowState());
    }
}
