package io.telemetrysuite.traces.sampling;

import java.io.Serializable;

/**
 * One tail-sampling policy of the Collector's {@code tail_sampling} processor: looks at a whole trace
 * and returns its {@link PolicyDecision}. Implementations port the Collector's
 * {@code internal/sampling} evaluators one for one.
 */
public interface TracePolicy extends Serializable {
    PolicyDecision evaluate(TraceData trace);

    /**
     * A copy with its own state, for a new decider. Stateless policies return themselves; the
     * rate-limiting ones (and the compound policies holding them) return a copy whose counters start
     * afresh, so two deciders never share a budget.
     */
    default TracePolicy fresh() {
        return this;
    }
}
