package io.telemetrysuite.traces.sampling;

import static io.telemetrysuite.traces.sampling.PolicyDecision.DROPPED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.SAMPLED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the votes of several policies combine, from the Collector's {@code processor_decisions_test.go}
 * (which drives the processor with fixed-vote evaluators, as {@link Vote} does here) and {@code
 * makeDecision}: drop first, then inverted not-sampled, then sampled, then inverted sampled without a
 * not-sampled, else not sampled; and which policy is recorded.
 */
class TailSamplingDeciderTest {

    /** A policy that always casts the same vote and counts how often it was asked. */
    static final class Vote implements TracePolicy {
        private static final long serialVersionUID = 1L;
        final PolicyDecision decision;
        int evaluations;

        Vote(PolicyDecision decision) {
            this.decision = decision;
        }

        @Override
        public PolicyDecision evaluate(TraceData trace) {
            evaluations++;
            return decision;
        }
    }

    private static SamplingDecision decide(boolean firstMatch, Object... namesAndVotes) {
        List<NamedPolicy> policies = new ArrayList<>();
        for (int i = 0; i < namesAndVotes.length; i += 2) {
            String name = (String) namesAndVotes[i];
            PolicyDecision d = (PolicyDecision) namesAndVotes[i + 1];
            policies.add(new NamedPolicy(name, d == DROPPED ? "drop" : "mock", new Vote(d)));
        }
        return new TailSamplingDecider(policies, firstMatch).decide(Traces.TRACE_ID, Traces.count(1), 0);
    }

    private static SamplingDecision decide(Object... namesAndVotes) {
        return decide(false, namesAndVotes);
    }

    @Test
    void typicalPathSampled() {
        assertThat(decide("mock-policy-1", SAMPLED)).isEqualTo(SamplingDecision.keep("mock-policy-1"));
    }

    @Test
    void invertSampledAloneIsKept() {
        assertThat(decide("mock-policy-1", INVERT_SAMPLED)).isEqualTo(SamplingDecision.keep("mock-policy-1"));
    }

    @Test
    void severalSampledRecordsTheFirst() {
        assertThat(decide("mock-policy-1", SAMPLED, "mock-policy-2", SAMPLED)).isEqualTo(SamplingDecision.keep("mock-policy-1"));
        assertThat(decide("mock-policy-1", NOT_SAMPLED, "mock-policy-2", SAMPLED)).isEqualTo(SamplingDecision.keep("mock-policy-2"));
    }

    @Test
    void notSampled() {
        assertThat(decide("mock-policy-1", NOT_SAMPLED)).isEqualTo(SamplingDecision.drop(""));
    }

    @Test
    void invertNotSampledOutranksSampled() {
        assertThat(decide("mock-policy-1", INVERT_NOT_SAMPLED, "mock-policy-2", SAMPLED)).isEqualTo(SamplingDecision.drop(""));
        assertThat(decide("mock-policy-1", SAMPLED, "mock-policy-2", INVERT_NOT_SAMPLED)).isEqualTo(SamplingDecision.drop(""));
    }

    @Test
    void invertSampledLosesToAnyNotSampled() {
        // The late-span test's policies: InvertSampled and NotSampled combine to not sampled.
        assertThat(decide("mock-policy-1", INVERT_SAMPLED, "mock-policy-2", NOT_SAMPLED)).isEqualTo(SamplingDecision.drop(""));
    }

    @Test
    void sampledOutranksInvertSampled() {
        assertThat(decide("invert", INVERT_SAMPLED, "plain", SAMPLED, "no", NOT_SAMPLED)).isEqualTo(SamplingDecision.keep("plain"));
    }

    @Test
    void dropOutranksEverythingAndIsRecorded() {
        assertThat(decide("keep", SAMPLED, "veto", DROPPED)).isEqualTo(SamplingDecision.drop("veto"));
        assertThat(decide("keep", INVERT_SAMPLED, "veto", DROPPED, "other", INVERT_NOT_SAMPLED)).isEqualTo(SamplingDecision.drop("veto"));
    }

    @Test
    void nothingVotedIsNotSampled() {
        TailSamplingDecider decider = new TailSamplingDecider(List.of(), false);
        assertThat(decider.decide(Traces.TRACE_ID, Traces.count(1), 0)).isEqualTo(SamplingDecision.drop(""));
    }

    @Test
    void dropPoliciesRunFirstAndStopTheEvaluation() {
        Vote keep = new Vote(SAMPLED);
        Vote veto = new Vote(DROPPED);
        TailSamplingDecider decider = new TailSamplingDecider(List.of(
                new NamedPolicy("keep", "always_sample", keep), new NamedPolicy("veto", "drop", veto)), false);
        // The decider evaluates copies; these votes are stateless, so fresh() returned them as they are.
        assertThat(decider.decide(Traces.TRACE_ID, Traces.count(1), 0)).isEqualTo(SamplingDecision.drop("veto"));
        assertThat(veto.evaluations).isEqualTo(1);
        assertThat(keep.evaluations).isZero();
        assertThat(decider.policies()).extracting(NamedPolicy::name).containsExactly("veto", "keep");
    }

    @Test
    void everyPolicyIsEvaluatedUnlessSampleOnFirstMatch() {
        Vote one = new Vote(NOT_SAMPLED);
        Vote two = new Vote(SAMPLED);
        Vote three = new Vote(SAMPLED);
        List<NamedPolicy> policies = List.of(new NamedPolicy("mock-policy-1", "mock", one),
                new NamedPolicy("mock-policy-2", "mock", two), new NamedPolicy("mock-policy-3", "mock", three));
        assertThat(new TailSamplingDecider(policies, true).decide(Traces.TRACE_ID, Traces.count(1), 0))
                .isEqualTo(SamplingDecision.keep("mock-policy-2"));
        assertThat(List.of(one.evaluations, two.evaluations, three.evaluations)).containsExactly(1, 1, 0);
        assertThat(new TailSamplingDecider(policies, false).decide(Traces.TRACE_ID, Traces.count(1), 0))
                .isEqualTo(SamplingDecision.keep("mock-policy-2"));
        assertThat(List.of(one.evaluations, two.evaluations, three.evaluations)).containsExactly(2, 2, 1);
    }

    @Test
    void aThrowingPolicyIsLeftOut() {
        TracePolicy broken = trace -> {
            throw new IllegalStateException("evaluation error");
        };
        TailSamplingDecider decider = new TailSamplingDecider(List.of(
                new NamedPolicy("broken", "mock", broken), new NamedPolicy("ok", "mock", new Vote(INVERT_SAMPLED))), false);
        assertThat(decider.decide(Traces.TRACE_ID, Traces.count(1), 0)).isEqualTo(SamplingDecision.keep("ok"));
    }

    @Test
    void aDefaultConfigurationWithoutPoliciesKeepsEverything() {
        assertThat(new TailSamplingConfig().decider().decide(Traces.TRACE_ID, Traces.count(1), 0).sampled()).isTrue();
    }
}
