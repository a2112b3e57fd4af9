package io.telemetrysuite.aggregate;

import static io.telemetrysuite.testing.TestSpans.MS;
import static io.telemetrysuite.testing.TestSpans.T0_NANOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.testing.TestSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The aggregate topology on a MiniCluster at parallelism 2 with generic types off. Event time is
 * driven explicitly: spans come from one ordered source, and the watermark follows every event
 * (largest timestamp − 5 s − 1 ms), so each test decides when a window fires.
 */
class AggregateJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = T0_NANOS / MS;
    private static final long SECOND = 1000L;

    /** Result windows as text relative to T0: "10s [0s,10s) count=3.0 errors=1.0 update=false". */
    private static String describe(Aggregate a) {
        return a.resolution + " [" + (a.windowStart - T0) / SECOND + "s," + (a.windowEnd - T0) / SECOND + "s) count=" + a.count
                + " errors=" + a.errorCount + " update=" + a.update;
    }

    @Test
    void outOfOrderEventsWithinTheBoundLandInTheirWindows() throws Exception {
        // Timestamps in seconds after T0, out of order by up to 4 s (the bound is 5 s).
        Result result = run(config(Duration.ofSeconds(10)), perEventWatermarks(),
                span(3, 40, false), span(1, 10, false), span(9, 30, true), span(5, 20, false),
                span(12, 10, false), span(8, 50, false), span(14, 10, true), span(11, 10, false), span(25, 5, false));

        assertThat(result.aggregates).extracting(AggregateJobTest::describe).containsExactly(
                "10s [0s,10s) count=5.0 errors=1.0 update=false",
                "10s [10s,20s) count=3.0 errors=1.0 update=false",
                "10s [20s,30s) count=1.0 errors=0.0 update=false");
        Aggregate first = result.aggregates.get(0);
        assertThat(first.maxMs).isEqualTo(50.0);
        assertThat(first.p50Ms).isEqualTo(30.0);
        assertThat(first.avgMs).isEqualTo(30.0);
        assertThat(first.ratePerSecond).isEqualTo(0.5);
        assertThat(first.serviceName).isEqualTo("checkout");
        assertThat(first.spanName).isEqualTo("GET /items");
        assertThat(first.kind).isEqualTo("SERVER");
        assertThat(result.late).isEmpty();
    }

    @Test
    void aLateButAllowedEventReEmitsItsWindowAsAnUpdateAndTheRollUpCountsItOnce() throws Exception {
        Result result = run(config(Duration.ofSeconds(10), Duration.ofMinutes(1)), perEventWatermarks(),
                span(1, 10, false), span(2, 10, false),
                span(20, 10, false),       // watermark 14.999 s: [0s,10s) fires with 2
                span(3, 10, true));        // 11 s behind: late, but within the 1 min allowed lateness

        assertThat(byResolution(result, "10s")).containsExactly(
                "10s [0s,10s) count=2.0 errors=0.0 update=false",
                "10s [0s,10s) count=3.0 errors=1.0 update=true",
                "10s [20s,30s) count=1.0 errors=0.0 update=false");
        // The 1 min window replaces the first [0s,10s) result by its update instead of adding both.
        assertThat(byResolution(result, "1m")).containsExactly("1m [0s,60s) count=4.0 errors=1.0 update=false");
        assertThat(result.late).isEmpty();
    }

    @Test
    void anEventLaterThanTheAllowedLatenessGoesToTheLateOutputOnly() throws Exception {
        Result result = run(config(Duration.ofSeconds(10)), perEventWatermarks(),
                span(1, 10, false), span(2, 10, false),
                span(100, 10, false),      // watermark 94.999 s: [0s,10s) is past its lateness (ends 69.999 s)
                span(3, 10, true));

        assertThat(byResolution(result, "10s")).containsExactly(
                "10s [0s,10s) count=2.0 errors=0.0 update=false",
                "10s [100s,110s) count=1.0 errors=0.0 update=false");
        assertThat(result.late).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo(AggregateJob.LATE_EVENT);
            assertThat(d.signal).isEqualTo("span");
            assertThat(d.message).contains(Long.toString(T0 + 3 * SECOND));
        });
    }

    @Test
    void oneMinuteRolledUpFromTenSecondWindowsEqualsOneMinuteFromRawEvents() throws Exception {
        // Under 200 spans per key and minute, so the KLL sketches are exact and the percentiles must be equal too.
        Random random = new Random(3);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            long atMs = i * 125L + random.nextInt(3000);     // 2.5 min, out of order by less than 3 s
            Span s = TestSpans.span(TestSpans.traceId(random), TestSpans.spanId(random), "svc-" + (i % 3),
                    T0_NANOS + atMs * MS, (long) (Math.exp(3 + random.nextGaussian()) * MS), random.nextInt(20) == 0);
            spans.add(s);
        }
        Span[] input = spans.toArray(Span[]::new);
        Map<String, Aggregate> rolledUp = byKeyAndStart(run(config(Duration.ofSeconds(10), Duration.ofMinutes(1)), null, input), "1m");
        Map<String, Aggregate> direct = byKeyAndStart(run(config(Duration.ofMinutes(1)), null, input), "1m");

        assertThat(rolledUp.keySet()).hasSize(9).isEqualTo(direct.keySet());
        rolledUp.forEach((key, r) -> {
            Aggregate d = direct.get(key);
            assertThat(r.count).as(key).isEqualTo(d.count);
            assertThat(r.errorCount).as(key).isEqualTo(d.errorCount);
            assertThat(new double[] {r.p50Ms, r.p90Ms, r.p95Ms, r.p99Ms, r.maxMs}).as(key)
                    .containsExactly(d.p50Ms, d.p90Ms, d.p95Ms, d.p99Ms, d.maxMs);
            assertThat(r.avgMs).as(key).isCloseTo(d.avgMs, within(1e-9 * d.avgMs));
        });
        assertThat(rolledUp.values().stream().mapToDouble(a -> a.count).sum()).isEqualTo(1200.0);
    }

    @Test
    void adjustedCountsEstimateTheUnsampledCount() throws Exception {
        // Errors always kept (weight 1); other spans kept with probability 1/4 and adjustedCount 4.
        Random random = new Random(5);
        int truth = 100_000;
        int errors = 0;
        List<Span> sampled = new ArrayList<>();
        for (int i = 0; i < truth; i++) {
            boolean error = random.nextInt(50) == 0;
            Span s = TestSpans.span(TestSpans.traceId(random), TestSpans.spanId(random), "checkout",
                    T0_NANOS + (i * 600L / 1000) * MS, 5 * MS, error);
            if (error) {
                errors++;
                sampled.add(s);
            } else if (random.nextInt(4) == 0) {
                s.adjustedCount = 4.0;
                sampled.add(s);
            }
        }
        Result result = run(config(Duration.ofMinutes(1)), null, sampled.toArray(Span[]::new));
        double errorTruth = errors;

        assertThat(result.aggregates).singleElement().satisfies(a -> {
            assertThat(a.count).isCloseTo(truth, within(0.02 * truth));
            assertThat(a.errorCount).isEqualTo(errorTruth);
            assertThat(a.ratePerSecond).isCloseTo(truth / 60.0, within(0.02 * truth / 60.0));
        });
    }

    // --- helpers ---------------------------------------------------------------------------------

    private record Result(List<Aggregate> aggregates, List<DeadLetter> late) {}

    private static AggregateConfig config(Duration... resolutions) {
        AggregateConfig config = new AggregateConfig();
        config.resolutions = List.of(resolutions);
        return config;
    }

    private static Span span(long atSeconds, long durationMs, boolean error) {
        Random random = new Random(atSeconds * 31 + durationMs);
        return TestSpans.span(TestSpans.traceId(random), TestSpans.spanId(random), "checkout",
                T0_NANOS + atSeconds * SECOND * MS, durationMs * MS, error);
    }

    /** A watermark after every event: the largest timestamp so far minus the bound, minus 1 ms (as Flink's bounded generator). */
    private static WatermarkStrategy<Observation> perEventWatermarks() {
        long bound = new AggregateConfig().maxOutOfOrderness.toMillis();
        return WatermarkStrategy.<Observation>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + bound + 1;

            @Override
            public void onEvent(Observation event, long timestamp, WatermarkOutput output) {
                max = Math.max(max, timestamp);
                output.emitWatermark(new Watermark(max - bound - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((o, previous) -> o.timestampMillis);
    }

    /** Runs the topology on spans from one ordered source; null watermarks = the production strategy. */
    private static Result run(AggregateConfig config, WatermarkStrategy<Observation> watermarks, Span... spans) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        IngestStreams in = new IngestStreams(
                source(env, List.of(spans), Span.class),
                source(env, List.of(), MetricPoint.class),
                source(env, List.of(), LogRecord.class),
                source(env, List.of(), WorkloadRecord.class),
                source(env, List.of(), SystemSample.class),
                source(env, List.of(), InferenceSample.class),
                source(env, List.of(), DeadLetter.class));
        AggregateStreams out = watermarks == null
                ? AggregateJob.buildTopology(in, config)
                : AggregateJob.buildTopology(in, config, watermarks);
        List<Aggregate> aggregates = new ArrayList<>();
        List<DeadLetter> late = new ArrayList<>();
        try (CloseableIterator<Aggregate> a = out.aggregates().collectAsync();
             CloseableIterator<DeadLetter> l = out.lateDeadLetters().collectAsync()) {
            env.execute("aggregate test");
            a.forEachRemaining(aggregates::add);
            l.forEachRemaining(late::add);
        }
        return new Result(aggregates, late);
    }

    private static <T> DataStream<T> source(StreamExecutionEnvironment env, List<T> data, Class<T> type) throws Exception {
        if (data.isEmpty()) {
            // fromData cannot produce nothing: one placeholder, filtered out; the finished source then releases the watermark.
            return env.fromData(List.of(type.getDeclaredConstructor().newInstance()), TypeInformation.of(type)).setParallelism(1)
                    .filter(placeholder -> false).setParallelism(1);
        }
        return env.fromData(data, TypeInformation.of(type)).setParallelism(1);
    }

    private static List<String> byResolution(Result result, String resolution) {
        return result.aggregates.stream().filter(a -> a.resolution.equals(resolution)).map(AggregateJobTest::describe).toList();
    }

    private static Map<String, Aggregate> byKeyAndStart(Result result, String resolution) {
        assertThat(result.aggregates).noneMatch(a -> a.update);
        return result.aggregates.stream().filter(a -> a.resolution.equals(resolution))
                .collect(Collectors.toMap(a -> a.serviceName + "@" + (a.windowStart - T0), Function.identity()));
    }
}
