package io.telemetrysuite.ingest.sample;

import static io.telemetrysuite.testing.TestSpans.MS;
import static io.telemetrysuite.testing.TestSpans.SECOND;
import static io.telemetrysuite.testing.TestSpans.T0_NANOS;
import static io.telemetrysuite.testing.TestSpans.span;
import static io.telemetrysuite.testing.TestSpans.spanId;
import static io.telemetrysuite.testing.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.telemetrysuite.model.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TraceSamplerTest {
    private static final int SPANS_PER_TRACE = 5;

    @Test
    void errorsAndSlowCallsAreAlwaysKeptWithAdjustedCountOne() throws Exception {
        SamplingConfig config = config(10);
        config.minProbability = 0.0;
        config.slowThresholdByRoute.put("/checkout", Duration.ofMillis(200));
        try (var harness = opened(config)) {
            Random random = new Random(1);
            // Warm the estimate with a heavy load so ordinary traces are almost always dropped.
            long t = T0_NANOS;
            for (int i = 0; i < 20_000; i++) harness.processElement(record(span(traceId(random), spanId(random), "cart", t + i * 100_000L, MS, false)));
            harness.getOutput().clear();

            List<Span> priority = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                long start = t + 3 * SECOND + i * MS;
                priority.add(span(traceId(random), spanId(random), "cart", start, 5 * MS, true));
                Span slow = span(traceId(random), spanId(random), "cart", start, 300 * MS, false);
                slow.attributes.put("http.route", "/checkout");
                priority.add(slow);
                Span slowByDefault = span(traceId(random), spanId(random), "cart", start, 2 * SECOND, false);
                priority.add(slowByDefault);
            }
            for (Span span : priority) harness.processElement(record(span));

            List<SpanEnvelope> kept = output(harness);
            assertThat(kept).hasSize(priority.size());
            assertThat(kept).allSatisfy(span -> assertThat(span.adjustedCount).isEqualTo(1.0));
            assertThat(kept).filteredOn(s -> s.error).allSatisfy(s -> assertThat(s.sampledBy).isEqualTo(Span.SampledBy.ERROR));
            assertThat(kept).filteredOn(s -> !s.error).allSatisfy(s -> assertThat(s.sampledBy).isEqualTo(Span.SampledBy.SLOW));
        }
    }

    @Test
    void everySpanOfATraceGetsTheSameDecisionAcrossARestoreWithAnotherBudget() throws Exception {
        Random random = new Random(2);
        List<List<Span>> traces = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            String traceId = traceId(random);
            List<Span> trace = new ArrayList<>();
            for (int s = 0; s < 4; s++) trace.add(span(traceId, spanId(random), "shop", T0_NANOS + i * MS + s * 10_000L, MS, false));
            traces.add(trace);
        }

        OperatorSubtaskState snapshot;
        Map<String, Boolean> firstHalfKept = new HashMap<>();
        try (var before = opened(config(500))) {
            for (List<Span> trace : traces) {
                before.processElement(record(trace.get(0)));
                before.processElement(record(trace.get(1)));
            }
            for (SpanEnvelope span : output(before)) firstHalfKept.put(span.traceId, true);
            snapshot = before.snapshot(1L, 1L);
        }
        assertThat(firstHalfKept.size()).as("some traces kept, some dropped").isBetween(200, 3_800);

        // The restored instance estimates a very different probability (budget x20): decisions must not move.
        try (var after = harness(config(10_000))) {
            after.initializeState(snapshot);
            after.open();
            for (List<Span> trace : traces) {
                after.processElement(record(trace.get(2)));
                after.processElement(record(trace.get(3)));
            }
            Map<String, Integer> keptAfter = new HashMap<>();
            for (SpanEnvelope span : output(after)) keptAfter.merge(span.traceId, 1, Integer::sum);
            assertThat(keptAfter.keySet()).isEqualTo(firstHalfKept.keySet());
            assertThat(keptAfter.values()).containsOnly(2);
        }
    }

    @Test
    void adaptiveProbabilityHoldsTheBudgetWithinFivePercentOnASteadyLoad() throws Exception {
        double budget = 1_000;
        try (var harness = opened(config(budget))) {
            Random random = new Random(3);
            int tracesPerSecond = 4_000; // 20,000 spans/s offered, 20x the budget
            int seconds = 60;
            long keptAfterWarmUp = 0;
            for (int second = 0; second < seconds; second++) {
                for (int i = 0; i < tracesPerSecond; i++) {
                    String traceId = traceId(random);
                    long start = T0_NANOS + second * SECOND + (long) i * (SECOND / tracesPerSecond);
                    for (int s = 0; s < SPANS_PER_TRACE; s++) {
                        harness.processElement(record(span(traceId, spanId(random), "search", start + s, MS, false)));
                    }
                }
                int kept = harness.getOutput().size();
                harness.getOutput().clear();
                if (second >= 5) keptAfterWarmUp += kept;
            }
            double keptPerSecond = keptAfterWarmUp / (double) (seconds - 5);
            assertThat(keptPerSecond).isCloseTo(budget, within(budget * 0.05));
        }
    }

    @Test
    void adjustedCountsEstimateTheTrueSpanCountWithinTwoPercentOverAMillionSpans() throws Exception {
        SamplingConfig config = config(2_000);
        try (var harness = opened(config)) {
            Random random = new Random(4);
            long trueCount = 0;
            double estimate = 0;
            long t = T0_NANOS;
            String[] services = {"frontend", "checkout", "payment"};
            while (trueCount < 1_000_000) {
                // A periodic load with bursts: the probability keeps moving, the estimate must not drift.
                double phase = (t - T0_NANOS) / (double) (30 * SECOND);
                int tracesThisMs = (int) (8 + 6 * Math.sin(2 * Math.PI * phase)) + (random.nextInt(50) == 0 ? 40 : 0);
                for (int i = 0; i < tracesThisMs; i++) {
                    String traceId = traceId(random);
                    String service = services[random.nextInt(services.length)];
                    int spans = 1 + random.nextInt(2 * SPANS_PER_TRACE);
                    for (int s = 0; s < spans; s++) {
                        boolean error = random.nextInt(200) == 0;
                        long duration = random.nextInt(100) == 0 ? 3 * SECOND : 20 * MS;
                        harness.processElement(record(span(traceId, spanId(random), service, t, duration, error)));
                        trueCount++;
                    }
                }
                for (SpanEnvelope kept : output(harness)) estimate += kept.adjustedCount;
                harness.getOutput().clear();
                t += MS;
            }
            assertThat(estimate).isCloseTo(trueCount, within(trueCount * 0.02));
        }
    }

    private static SamplingConfig config(double spansPerSecond) {
        SamplingConfig config = new SamplingConfig();
        config.enabled = true;
        config.spansPerSecondPerService = spansPerSecond;
        return config;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SpanEnvelope, SpanEnvelope> opened(SamplingConfig config) throws Exception {
        var harness = harness(config);
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SpanEnvelope, SpanEnvelope> harness(SamplingConfig config) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TraceSampler(config)), span -> span.traceId, Types.STRING);
        return harness;
    }

    private static StreamRecord<SpanEnvelope> record(Span span) {
        return new StreamRecord<>(envelope(span));
    }

    /** What the parse operator sends the sampler for this span (no protobuf bytes: the sampler never reads them). */
    private static SpanEnvelope envelope(Span span) {
        SpanEnvelope envelope = new SpanEnvelope();
        envelope.traceId = span.traceId;
        envelope.spanId = span.spanId;
        envelope.serviceName = span.serviceName;
        envelope.startTimeUnixNano = span.startTimeUnixNano;
        envelope.endTimeUnixNano = span.endTimeUnixNano;
        envelope.error = span.isError();
        envelope.route = span.attributes.getOrDefault("http.route", span.name);
        return envelope;
    }

    @SuppressWarnings("unchecked")
    private static List<SpanEnvelope> output(KeyedOneInputStreamOperatorTestHarness<String, SpanEnvelope, SpanEnvelope> harness) {
        List<SpanEnvelope> spans = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) spans.add((SpanEnvelope) r.getValue());
        }
        return spans;
    }
}
