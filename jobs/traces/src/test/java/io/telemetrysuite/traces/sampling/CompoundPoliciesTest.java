package io.telemetrysuite.traces.sampling;

import static io.telemetrysuite.traces.sampling.PolicyDecision.DROPPED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.SAMPLED;
import static io.telemetrysuite.traces.sampling.Traces.data;
import static io.telemetrysuite.traces.sampling.Traces.spanAttr;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code and}, {@code not}, {@code drop} and {@code composite} ({@code and_test.go}, {@code
 * not_test.go}, {@code drop_test.go}, {@code composite_test.go}, {@code composite_helper_test.go}).
 */
class CompoundPoliciesTest {
    private static final long SECOND = 1_700_000_000_000L;

    private static TracePolicy tag(long min, long max) {
        return new NumericAttributePolicy("tag", min, max, false);
    }

    private static TracePolicy str(boolean invert) {
        return new StringAttributePolicy("tag", List.of("foo"), null, 0, invert);
    }

    @Test
    void andNeedsEverySubPolicy() {
        AndPolicy both = new AndPolicy(List.of(tag(0, 100), str(false)));
        assertThat(both.evaluate(data(spanAttr("tag", "50")))).isEqualTo(NOT_SAMPLED);
        assertThat(new AndPolicy(List.of(tag(0, 100), new AlwaysSamplePolicy())).evaluate(data(spanAttr("tag", "50")))).isEqualTo(SAMPLED);
        // An inverted sample counts as a match; an inverted not-sample as a miss.
        assertThat(new AndPolicy(List.of(str(true), new AlwaysSamplePolicy())).evaluate(data(spanAttr("tag", "bar")))).isEqualTo(SAMPLED);
        assertThat(new AndPolicy(List.of(str(true), new AlwaysSamplePolicy())).evaluate(data(spanAttr("tag", "foo")))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void andStopsAtTheFirstMissSoLaterRateLimitsAreNotCharged() {
        RateLimitingPolicy rate = new RateLimitingPolicy(1, 1);
        AndPolicy and = new AndPolicy(List.of(str(false), rate));
        assertThat(and.evaluate(data(spanAttr("tag", "bar"), SECOND))).isEqualTo(NOT_SAMPLED);
        assertThat(rate.evaluate(data(Traces.count(1), SECOND))).as("the budget is untouched").isEqualTo(SAMPLED);
    }

    @Test
    void notFlipsPlainVotesOnly() {
        assertThat(new NotPolicy(new AlwaysSamplePolicy()).evaluate(data(Traces.count(1)))).isEqualTo(NOT_SAMPLED);
        assertThat(new NotPolicy(str(false)).evaluate(data(spanAttr("tag", "bar")))).isEqualTo(SAMPLED);
        assertThat(new NotPolicy(str(true)).evaluate(data(spanAttr("tag", "bar")))).isEqualTo(INVERT_SAMPLED);
        assertThat(new NotPolicy(str(true)).evaluate(data(spanAttr("tag", "foo")))).isEqualTo(INVERT_NOT_SAMPLED);
    }

    @Test
    void dropWhenEverySubPolicyMatches() {
        DropPolicy drop = new DropPolicy(List.of(str(false), new AlwaysSamplePolicy()));
        assertThat(drop.evaluate(data(spanAttr("tag", "foo")))).isEqualTo(DROPPED);
        assertThat(drop.evaluate(data(spanAttr("tag", "bar")))).isEqualTo(NOT_SAMPLED);
        assertThat(new DropPolicy(List.of(str(true))).evaluate(data(spanAttr("tag", "bar")))).isEqualTo(DROPPED);
        assertThat(new DropPolicy(List.of(str(true))).evaluate(data(spanAttr("tag", "foo")))).isEqualTo(NOT_SAMPLED);
    }

    private static CompositePolicy composite(long total, Object... subs) {
        List<CompositePolicy.Sub> list = new java.util.ArrayList<>();
        for (int i = 0; i < subs.length; i += 2) {
            list.add(new CompositePolicy.Sub("sub-" + i / 2, (TracePolicy) subs[i], ((Number) subs[i + 1]).longValue()));
        }
        return new CompositePolicy(total, list);
    }

    @Test
    void compositeNotSampledWhenNoSubPolicyMatches() {
        CompositePolicy c = composite(1000, tag(0, 100), 100, tag(200, 300), 100);
        assertThat(c.evaluate(data(Traces.count(1), SECOND))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void compositeSampledByTheSecondSubPolicy() {
        CompositePolicy c = composite(1000, tag(0, 100), 100, new AlwaysSamplePolicy(), 100);
        assertThat(c.evaluate(data(Traces.count(1), SECOND))).isEqualTo(SAMPLED);
        assertThat(c.lastSampledBy()).isEqualTo("sub-1");
    }

    @Test
    void compositeOverflowOfTheMatchingSubPolicyIsNotSampled() {
        CompositePolicy c = composite(3, tag(0, 100), 1, new AlwaysSamplePolicy(), 1);
        assertThat(c.evaluate(data(spanAttr("tag", "10"), SECOND))).isEqualTo(SAMPLED);
        // The first sub-policy matches again but its budget is spent: the second is not asked.
        assertThat(c.evaluate(data(spanAttr("tag", "11"), SECOND))).isEqualTo(NOT_SAMPLED);
        assertThat(c.evaluate(data(spanAttr("tag", "1001"), SECOND))).isEqualTo(SAMPLED);
    }

    @Test
    void compositeAlwaysAndInvertedSubPolicies() {
        CompositePolicy always = composite(10, tag(0, 100), 20, new AlwaysSamplePolicy(), 20);
        CompositePolicy inverted = composite(10, str(false), 20, str(true), 20);
        for (int i = 0; i < 10; i++) {
            assertThat(always.evaluate(data(Traces.count(1), SECOND))).isEqualTo(SAMPLED);
            assertThat(inverted.evaluate(data(Traces.count(1), SECOND))).isEqualTo(SAMPLED);
        }
    }

    @Test
    void compositeThrottlesPerSecondOfEventTime() {
        CompositePolicy c = composite(10, new AlwaysSamplePolicy(), 10);
        for (int i = 0; i < 10; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND))).isEqualTo(SAMPLED);
        for (int i = 0; i < 10; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND + 999))).isEqualTo(NOT_SAMPLED);
        for (int i = 0; i < 10; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND + 1000))).isEqualTo(SAMPLED);
    }

    @Test
    void compositeTwoSubPoliciesThrottling() {
        CompositePolicy c = composite(10, tag(0, 100), 5, new AlwaysSamplePolicy(), 5);
        for (int i = 0; i < 5; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND))).isEqualTo(SAMPLED);
        for (int i = 0; i < 5; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND))).isEqualTo(NOT_SAMPLED);
        for (int i = 0; i < 5; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND + 1000))).isEqualTo(SAMPLED);
        for (int i = 0; i < 20; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND + 1000))).isEqualTo(NOT_SAMPLED);
        for (int i = 0; i < 5; i++) assertThat(c.evaluate(data(Traces.count(1), SECOND + 2000))).isEqualTo(SAMPLED);
    }

    @Test
    void compositeRateAllocation() {
        // 25% of 1000; a listed policy with percent 0 gets an equal share (1000 / 2 sub-policies).
        assertThat(CompositePolicy.allocations(1000, List.of("p1", "p2"), List.of("p1", "p2"), List.of(25L, 0L)))
                .containsExactly(250L, 500L);
        // The README's example: 50% and 25% of 1000; the always_sample not listed gets nothing.
        assertThat(CompositePolicy.allocations(1000, List.of("p1", "p2", "p3"), List.of("p1", "p2"), List.of(50L, 25L)))
                .containsExactly(500L, 250L, 0L);
        CompositePolicy unlisted = composite(1000, new AlwaysSamplePolicy(), 0);
        assertThat(unlisted.evaluate(data(Traces.count(1), SECOND))).isEqualTo(NOT_SAMPLED);
    }
}
