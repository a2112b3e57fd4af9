package io.telemetrysuite.traces.sampling;

import static io.telemetrysuite.traces.sampling.PolicyDecision.NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.SAMPLED;
import static io.telemetrysuite.traces.sampling.Traces.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.Span;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Collector's cases for the policies that look at the trace's shape ({@code latency_test.go},
 * {@code status_code_test.go}, {@code span_count_sampler_test.go}, {@code trace_state_filter_test.go},
 * {@code always_sample_test.go}, {@code trace_flags}) as facts.
 */
class TracePoliciesTest {

    @Test
    void alwaysSampleKeepsEverything() {
        assertThat(new AlwaysSamplePolicy().evaluate(data(Traces.count(1)))).isEqualTo(SAMPLED);
        assertThat(new AlwaysSamplePolicy().evaluate(data(List.of()))).isEqualTo(SAMPLED);
    }

    @Test
    void latencyFromEarliestStartToLatestEnd() {
        LatencyPolicy p = new LatencyPolicy(5000, 0);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {4500})))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {5000})))).isEqualTo(SAMPLED);
        // Every span is shorter than the threshold, the trace is not.
        assertThat(p.evaluate(data(Traces.timed(new long[] {0, 2500}, new long[] {3000, 3000})))).isEqualTo(SAMPLED);
    }

    @Test
    void latencyWithUpperThresholdIsExclusiveBelowInclusiveAbove() {
        LatencyPolicy p = new LatencyPolicy(5000, 10000);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {5000})))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {5001})))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {10000})))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0}, new long[] {10001})))).isEqualTo(NOT_SAMPLED);
        // Decided span by span in arrival order: the first span already qualifies.
        assertThat(p.evaluate(data(Traces.timed(new long[] {0, 0}, new long[] {6000, 20000})))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.timed(new long[] {0, 0}, new long[] {20000, 6000})))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void latencyTruncatesToWholeMilliseconds() {
        List<Span> spans = Traces.timed(new long[] {0}, new long[] {4999});
        spans.get(0).endTimeUnixNano += 999_999;
        assertThat(new LatencyPolicy(5000, 0).evaluate(data(spans))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void statusCode() {
        assertThat(new StatusCodePolicy(Set.of("ERROR")).evaluate(data(Traces.statuses("OK", "UNSET", "OK")))).isEqualTo(NOT_SAMPLED);
        assertThat(new StatusCodePolicy(Set.of("OK", "ERROR")).evaluate(data(Traces.statuses("UNSET", "UNSET")))).isEqualTo(NOT_SAMPLED);
        assertThat(new StatusCodePolicy(Set.of("UNSET")).evaluate(data(Traces.statuses("UNSET")))).isEqualTo(SAMPLED);
        assertThat(new StatusCodePolicy(Set.of("OK", "UNSET")).evaluate(data(Traces.statuses("ERROR", "OK")))).isEqualTo(SAMPLED);
    }

    @Test
    void spanCountWithMinimumOnly() {
        SpanCountPolicy p = new SpanCountPolicy(2, 0);
        assertThat(p.evaluate(data(Traces.count(1)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.count(2)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.count(3)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.count(5)))).isEqualTo(SAMPLED);
    }

    @Test
    void spanCountWithRangeIsInclusive() {
        SpanCountPolicy p = new SpanCountPolicy(2, 20);
        assertThat(p.evaluate(data(Traces.count(1)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.count(2)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.count(20)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(Traces.count(21)))).isEqualTo(NOT_SAMPLED);
        assertThat(new SpanCountPolicy(0, 3).evaluate(data(Traces.count(0)))).isEqualTo(SAMPLED);
    }

    @Test
    void traceState() {
        TraceStatePolicy one = new TraceStatePolicy("example", List.of("value"));
        assertThat(one.evaluate(data(Traces.traceState("non_matching=value")))).isEqualTo(NOT_SAMPLED);
        assertThat(one.evaluate(data(Traces.traceState("example=non_matching")))).isEqualTo(NOT_SAMPLED);
        assertThat(one.evaluate(data(Traces.traceState("example=value")))).isEqualTo(SAMPLED);
        assertThat(new TraceStatePolicy("example", List.of()).evaluate(data(Traces.traceState("example=value")))).isEqualTo(NOT_SAMPLED);
        assertThat(one.evaluate(data(Traces.traceState("example=non_matching,non_matching=value")))).isEqualTo(NOT_SAMPLED);
        assertThat(one.evaluate(data(Traces.traceState("example=value,non_matching=value")))).isEqualTo(SAMPLED);
        TraceStatePolicy two = new TraceStatePolicy("example", List.of("value1", "value2"));
        assertThat(two.evaluate(data(Traces.traceState("example=non_matching")))).isEqualTo(NOT_SAMPLED);
        assertThat(two.evaluate(data(Traces.traceState("example=value1")))).isEqualTo(SAMPLED);
    }

    @Test
    void invalidTraceStateNeverMatches() {
        TraceStatePolicy p = new TraceStatePolicy("example", List.of("value"));
        assertThat(p.evaluate(data(Traces.traceState("example=value,example=other")))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.traceState("example=value,BAD KEY=x")))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(Traces.traceState(" example=value , vendor@sys=x ")))).isEqualTo(SAMPLED);
        String tooLong = "v".repeat(250);
        assertThat(new TraceStatePolicy("example", List.of(tooLong)).evaluate(data(Traces.traceState("example=" + tooLong))))
                .isEqualTo(NOT_SAMPLED);
    }

    @Test
    void traceFlagsSampledBit() {
        List<Span> notSampled = Traces.count(2);
        assertThat(new TraceFlagsPolicy().evaluate(data(notSampled))).isEqualTo(NOT_SAMPLED);
        notSampled.get(1).flags = 0x101;
        assertThat(new TraceFlagsPolicy().evaluate(data(notSampled))).isEqualTo(SAMPLED);
    }
}
