package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides traces with a list of policies the way the Collector's {@code tail_sampling} processor does
 * ({@code makeDecision} in its {@code processor.go}).
 *
 * <p>The {@code drop} policies run first, then the others in configuration order; a DROPPED vote ends
 * the evaluation (later policies, and so their rate budgets, are not touched), and so does a SAMPLED
 * vote when {@code sample_on_first_match} is on. A policy that throws counts as an evaluation error
 * and is left out. The votes then combine in this order of precedence:
 * <ol>
 *   <li>any DROPPED: not kept, recorded as the first drop policy that matched;</li>
 *   <li>else any INVERT_NOT_SAMPLED: not kept (no policy recorded, as in the Collector);</li>
 *   <li>else any SAMPLED: kept, recorded as the first policy in evaluation order that voted SAMPLED
 *       (what the Collector writes to {@code tailsampling.policy});</li>
 *   <li>else any INVERT_SAMPLED and no NOT_SAMPLED: kept, recorded as the first policy that voted it;</li>
 *   <li>else not kept, with no policy recorded (an empty name).</li>
 * </ol>
 * All policies are evaluated even after a SAMPLED vote (unless {@code sample_on_first_match}), so
 * stateful policies later in the list are charged exactly as in the Collector.
 */
public final class TailSamplingDecider implements TraceDecider {
    private static final long serialVersionUID = 1L;

    private final List<NamedPolicy> policies;
    private final boolean sampleOnFirstMatch;

    /** @param policies in configuration order; each gets fresh state for this decider */
    public TailSamplingDecider(List<NamedPolicy> policies, boolean sampleOnFirstMatch) {
        List<NamedPolicy> ordered = new ArrayList<>();
        for (NamedPolicy p : policies) if (p.isDrop()) ordered.add(p.fresh());
        for (NamedPolicy p : policies) if (!p.isDrop()) ordered.add(p.fresh());
        this.policies = List.copyOf(ordered);
        this.sampleOnFirstMatch = sampleOnFirstMatch;
    }

    /** The policies in the order they are evaluated (drop policies first). */
    public List<NamedPolicy> policies() {
        return policies;
    }

    @Override
    public SamplingDecision decide(String traceId, List<Span> spans, long nowMillis) {
        TraceData trace = new TraceData(traceId, spans, nowMillis);
        String dropped = null;
        String invertNotSampled = null;
        String sampled = null;
        String invertSampled = null;
        boolean notSampled = false;
        for (NamedPolicy p : policies) {
            PolicyDecision d;
            try {
                d = p.policy().evaluate(trace);
            } catch (RuntimeException e) {
                continue;
            }
            switch (d) {
                case DROPPED:
                    if (dropped == null) dropped = p.name();
                    break;
                case INVERT_NOT_SAMPLED:
                    if (invertNotSampled == null) invertNotSampled = p.name();
                    break;
                case SAMPLED:
                    if (sampled == null) sampled = p.name();
                    break;
                case INVERT_SAMPLED:
                    if (invertSampled == null) invertSampled = p.name();
                    break;
                case NOT_SAMPLED:
                    notSampled = true;
                    break;
                default:
                    break;
            }
            if (d == PolicyDecision.DROPPED) break;
            if (sampleOnFirstMatch && d == PolicyDecision.SAMPLED) break;
        }
        if (dropped != null) return SamplingDecision.drop(dropped);
        if (invertNotSampled != null) return SamplingDecision.drop("");
        if (sampled != null) return SamplingDecision.keep(sampled);
        if (invertSampled != null && !notSampled) return SamplingDecision.keep(invertSampled);
        return SamplingDecision.drop("");
    }
}
