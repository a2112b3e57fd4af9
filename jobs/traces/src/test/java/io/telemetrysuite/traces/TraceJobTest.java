package io.telemetrysuite.traces;

import static io.telemetrysuite.testing.OtlpFixtures.BASE_EPOCH_NANOS;
import static io.telemetrysuite.traces.SdkTraces.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.testing.OtlpFixtures;
import io.telemetrysuite.traces.assembly.CriticalPath;
import io.telemetrysuite.traces.sampling.SamplingDecision;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trace topology at parallelism 2 on spans made by the OpenTelemetry SDK: exact traces, orphans, late fragments, critical paths. */
class TraceJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Keeps traces with an error (policy "errors"), drops the rest ("no-error"): enough to tell decisions apart. */
    static final TraceDecider ERRORS_ONLY = (traceId, spans, now) -> spans.stream().anyMatch(Span::isError)
            ? SamplingDecision.keep("errors") : SamplingDecision.drop("no-error");

    static TraceConfig config() {
        TraceConfig config = new TraceConfig(new TailSamplingConfig(), ERRORS_ONLY).withParallelism(2);
        // Only event time decides in these tests, however slow the machine.
        config.processingTimeBound = Duration.ofHours(1);
        return config;
    }

    @Test
    void assemblesWholeTracesOrphansAndLateFragmentsWithTheirDecisionAndCriticalPath() throws Exception {
        List<Span> input = new ArrayList<>();
        Map<String, List<Span>> expectedSpans = new HashMap<>();
        Span lateOf7 = null;
        Span lateOf8 = null;
        for (int n = 1; n <= 20; n++) {
            List<Span> trace = SdkTraces.checkout(n, BASE_EPOCH_NANOS + n * 100 * MS, n == 3 || n == 7);
            if (n == 5) trace = SdkTraces.without(trace, s -> s.name.equals(SdkTraces.ROOT));
            if (n == 7 || n == 8) {
                Span select = SdkTraces.named(trace, SdkTraces.SELECT);
                if (n == 7) lateOf7 = select;
                else lateOf8 = select;
                trace = SdkTraces.without(trace, s -> s == select);
            }
            input.addAll(trace);
            expectedSpans.put(OtlpFixtures.traceId(n), trace);
        }
        // A trace a minute later moves the watermark past every deadline above; the held-back spans then come late.
        List<Span> later = SdkTraces.checkout(100, BASE_EPOCH_NANOS + 60_000 * MS, false);
        input.addAll(later);
        expectedSpans.put(OtlpFixtures.traceId(100), later);
        input.add(lateOf7);
        input.add(lateOf8);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        TraceStreams out = TraceJob.buildTopology(env.fromData(Span.class, input.toArray(Span[]::new)).setParallelism(1),
                config(), PerSpanWatermarks.of(Duration.ofSeconds(5)));
        CloseableIterator<Trace> all = out.allTraces().collectAsync();
        CloseableIterator<Trace> kept = out.keptTraces().collectAsync();
        CloseableIterator<Trace> summaries = out.summaries().collectAsync();
        env.executeAsync("traces test");
        List<Trace> allTraces = drain(all);
        List<Trace> keptTraces = drain(kept);
        List<Trace> summaryList = drain(summaries);

        List<Trace> whole = allTraces.stream().filter(t -> !t.late).toList();
        List<Trace> late = allTraces.stream().filter(t -> t.late).toList();
        assertThat(whole).hasSize(21);
        assertThat(whole).extracting(t -> t.traceId).doesNotHaveDuplicates();
        for (Trace t : whole) {
            List<Span> spans = expectedSpans.get(t.traceId);
            assertThat(t.spanCount).as(t.traceId).isEqualTo(spans.size()).isEqualTo(t.spans.size());
            assertThat(t.spans).containsExactlyInAnyOrderElementsOf(spans);
            assertThat(t.criticalPath).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(CriticalPath.of(spans));
            assertThat(t.sampled).isEqualTo(t.error);
            assertThat(t.policy).isEqualTo(t.error ? "errors" : "no-error");
        }
        Map<String, Trace> byId = new HashMap<>();
        whole.forEach(t -> byId.put(t.traceId, t));

        Trace complete = byId.get(OtlpFixtures.traceId(1));
        assertThat(complete.spanCount).isEqualTo(6);
        assertThat(complete.rootMissing).isFalse();
        assertThat(complete.durationNanos).isEqualTo(120 * MS);
        assertThat(complete.services).containsExactly("checkout", "frontend", "payment");
        assertThat(complete.rootName).isEqualTo(SdkTraces.ROOT);
        // From the root 0..120 ms: the payment call (45..95) dominates; SELECT (15..35) is taken on the way back.
        assertThat(complete.criticalPath).extracting(s -> s.serviceName + " " + s.name + " " + s.selfNanos / MS).containsExactly(
                "frontend GET /checkout 5", "frontend POST /api/checkout 5", "checkout POST /api/checkout 5", "checkout SELECT orders 20",
                "checkout POST /api/checkout 5", "checkout POST /charge 5", "payment POST /charge 50", "checkout POST /charge 5",
                "checkout POST /api/checkout 10", "frontend POST /api/checkout 5", "frontend GET /checkout 5");

        Trace orphan = byId.get(OtlpFixtures.traceId(5));
        assertThat(orphan.spanCount).isEqualTo(5);
        assertThat(orphan.rootMissing).isTrue();
        // Without the root: earliest start (the client call at 5 ms) to latest end (115 ms); the path starts at that call.
        assertThat(orphan.durationNanos).isEqualTo(110 * MS);
        assertThat(orphan.criticalPath.get(0).name).isEqualTo("POST /api/checkout");
        assertThat(orphan.criticalPath.stream().mapToLong(s -> s.selfNanos).sum()).isEqualTo(110 * MS);

        assertThat(byId.get(OtlpFixtures.traceId(3)).error).isTrue();
        assertThat(byId.get(OtlpFixtures.traceId(7)).spanCount).isEqualTo(5);

        // Late fragments follow the decision made: trace 7 was kept for its error although its late SELECT has none.
        assertThat(late).extracting(t -> t.traceId + " " + t.spanCount + " " + t.sampled + " " + t.policy + " " + t.rootMissing)
                .containsExactlyInAnyOrder(OtlpFixtures.traceId(7) + " 1 true errors true", OtlpFixtures.traceId(8) + " 1 false no-error true");

        assertThat(keptTraces).extracting(t -> t.traceId + (t.late ? " late" : "")).containsExactlyInAnyOrder(
                OtlpFixtures.traceId(3), OtlpFixtures.traceId(7), OtlpFixtures.traceId(7) + " late");
        assertThat(keptTraces).allSatisfy(t -> assertThat(t.spans).hasSize(t.spanCount));
        assertThat(summaryList).hasSize(23).allSatisfy(t -> assertThat(t.spans).isEmpty());
    }

    static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> out = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(out::add);
        }
        return out;
    }
}
