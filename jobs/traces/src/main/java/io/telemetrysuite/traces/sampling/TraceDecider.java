package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import java.io.Serializable;
import java.util.List;

/**
 * Decides one assembled trace. Called once per trace, by the subtask that owns the trace id, when the
 * trace's decision time comes; rate-limiting policies count per decider instance, so with parallelism
 * p each subtask gets 1/p of a configured rate (as each Collector instance of a tier does).
 */
public interface TraceDecider extends Serializable {
    /**
     * @param spans every span received for the trace so far, in arrival order
     * @param nowMillis the decision time (event time), for rate-limiting policies' per-second buckets
     */
    SamplingDecision decide(String traceId, List<Span> spans, long nowMillis);

    /** Keeps every trace: what {@code run traces} does without {@code --tail-sampling}. */
    static TraceDecider keepAll() {
        return (traceId, spans, nowMillis) -> SamplingDecision.keep("always_sample");
    }
}
