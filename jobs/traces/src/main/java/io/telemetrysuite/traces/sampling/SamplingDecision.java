package io.telemetrysuite.traces.sampling;

import java.io.Serializable;

/** A tail-sampling decision: whether to keep the trace, and the policy that decided it. */
public record SamplingDecision(boolean sampled, String policy) implements Serializable {
    public static SamplingDecision keep(String policy) {
        return new SamplingDecision(true, policy);
    }

    public static SamplingDecision drop(String policy) {
        return new SamplingDecision(false, policy);
    }
}
