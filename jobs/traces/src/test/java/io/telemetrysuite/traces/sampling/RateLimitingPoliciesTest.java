package io.telemetrysuite.traces.sampling;

import static io.telemetrysuite.traces.sampling.PolicyDecision.NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.SAMPLED;
import static io.telemetrysuite.traces.sampling.Traces.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rate_limiting} and {@code bytes_limiting}: the token bucket of the Collector's {@code
 * golang.org/x/time/rate} limiter, driven by the decision's event time. Cases from {@code
 * bytes_limiting_test.go} and {@code rate_limiting_test.go}; the refill waits the Collector's tests
 * sleep through are event-time steps here.
 */
class RateLimitingPoliciesTest {
    private static final long START = 1_700_000_000_000L;

    private static PolicyDecision spans(TracePolicy p, int n, long atMillis) {
        return p.evaluate(data(Traces.count(n), atMillis));
    }

    @Test
    void spansPerSecondWithTheDefaultBurstOfTwiceTheRate() {
        RateLimitingPolicy p = new RateLimitingPolicy(3, 0);
        assertThat(spans(p, 10, START)).as("more spans than the burst of 6").isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 3, START)).isEqualTo(SAMPLED);
        assertThat(spans(p, 3, START)).isEqualTo(SAMPLED);
        assertThat(spans(p, 1, START)).as("bucket empty").isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 0, START)).as("a trace of no spans needs no tokens").isEqualTo(SAMPLED);
        assertThat(spans(p, 3, START + 1000)).as("one second refills 3").isEqualTo(SAMPLED);
        assertThat(spans(p, 1, START + 1000)).isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 6, START + 5000)).as("refill is capped at the burst").isEqualTo(SAMPLED);
        assertThat(spans(p, 1, START + 5000)).isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 1, START + 5500)).as("half a second refills 1.5").isEqualTo(SAMPLED);
        assertThat(spans(p, 1, START + 5500)).isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 1, START + 4000)).as("an earlier time refills nothing").isEqualTo(NOT_SAMPLED);
    }

    @Test
    void explicitBurstCapacity() {
        RateLimitingPolicy p = new RateLimitingPolicy(10, 5);
        assertThat(spans(p, 6, START)).isEqualTo(NOT_SAMPLED);
        assertThat(spans(p, 5, START)).isEqualTo(SAMPLED);
        assertThat(spans(p, 5, START + 500)).isEqualTo(SAMPLED);
    }

    @Test
    void keepsRateTimesEventTimePlusBurstOverAStream() {
        // One one-span trace every 10 ms for 10 s at 10 spans/s, burst 20: the bucket never sits full
        // after the start, so exactly floor(20 + 10 * 9.99) traces are kept.
        RateLimitingPolicy p = new RateLimitingPolicy(10, 20);
        int kept = 0;
        for (int i = 0; i < 1000; i++) if (spans(p, 1, START + 10L * i) == SAMPLED) kept++;
        assertThat(kept).isEqualTo(119);
    }

    @Test
    void decidersDoNotShareABudget() {
        TailSamplingConfig cfg = new TailSamplingConfig();
        cfg.policies = List.of(new NamedPolicy("rate", "rate_limiting", new RateLimitingPolicy(1, 1)));
        TraceDecider first = cfg.decider();
        TraceDecider second = cfg.decider();
        assertThat(first.decide(Traces.TRACE_ID, Traces.count(1), START).sampled()).isTrue();
        assertThat(first.decide(Traces.TRACE_ID, Traces.count(1), START).sampled()).isFalse();
        assertThat(second.decide(Traces.TRACE_ID, Traces.count(1), START).sampled()).isTrue();
    }

    @Test
    void theCollectorsBytesTestTraceIs250Bytes() {
        // resource 4 + 12+12 + 15+5 = 48; scope 10+5+4 = 19; span 68+9 = 77, attributes 14+31+(16+8) = 69,
        // event 12+10+10+5 = 37.
        assertThat(TraceSizes.estimate(Traces.bytesTestTrace())).isEqualTo(250);
    }

    @Test
    void bytesTokenBucket() {
        List<Span> trace = Traces.bytesTestTrace();
        long size = 250;
        assertThat(bytes(new BytesLimitingPolicy(size / 2, size * 2), trace, 1)).containsExactly(SAMPLED);
        assertThat(bytes(new BytesLimitingPolicy(size / 2, size), trace, 1)).containsExactly(SAMPLED);
        assertThat(bytes(new BytesLimitingPolicy(size, size - 1), trace, 1)).containsExactly(NOT_SAMPLED);
        assertThat(bytes(new BytesLimitingPolicy(size, size * 3), trace, 2)).containsExactly(SAMPLED, SAMPLED);
        assertThat(bytes(new BytesLimitingPolicy(size / 2, size + 1), trace, 2)).containsExactly(SAMPLED, NOT_SAMPLED);
        assertThat(bytes(new BytesLimitingPolicy(size, 0), trace, 3)).as("default burst is twice the rate")
                .containsExactly(SAMPLED, SAMPLED, NOT_SAMPLED);
    }

    @Test
    void bytesRefillInEventTime() {
        BytesLimitingPolicy p = new BytesLimitingPolicy(500, 250);
        List<Span> trace = Traces.bytesTestTrace();
        assertThat(p.evaluate(data(trace, START))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(trace, START))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(trace, START + 400))).as("200 bytes refilled").isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(trace, START + 600))).as("300 bytes, capped at 250").isEqualTo(SAMPLED);
    }

    private static List<PolicyDecision> bytes(BytesLimitingPolicy p, List<Span> trace, int n) {
        List<PolicyDecision> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) out.add(p.evaluate(data(trace, START)));
        return out;
    }
}
