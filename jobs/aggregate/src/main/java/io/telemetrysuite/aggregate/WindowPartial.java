package io.telemetrysuite.aggregate;

import javax.annotation.Nullable;

/**
 * Part of one finest-resolution window of one key: what one subtask's {@link WindowPreAggregator}
 * folded before the shuffle. The window operator merges the partials of a window as it used to add
 * events, so a window's result does not depend on how its events were split into partials.
 */
public class WindowPartial {
    /** The window key, {@link Observation#key()}. */
    public String key = "";
    public AggregateAccumulator accumulator;
    /**
     * The one observation of this partial, when the pre-aggregator had already flushed the window: it
     * is passed on alone, so that a window update or a late event's dead letter is per event, as it
     * would be without pre-aggregation. Null for a partial of a window still open upstream.
     */
    @Nullable public Observation observation;

    public WindowPartial() {}

    WindowPartial(String key, AggregateAccumulator accumulator, @Nullable Observation observation) {
        this.key = key;
        this.accumulator = accumulator;
        this.observation = observation;
    }
}
