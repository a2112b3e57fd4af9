package io.telemetrysuite.aggregate.metrics;

import static io.opentelemetry.sdk.metrics.data.AggregationTemporality.CUMULATIVE;
import static io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestConfigLoader;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric points made by the OpenTelemetry SDK (three processes of service {@code checkout}: "a", which
 * restarts after 5 s, and "b" exporting cumulative points, "c" delta points), written as OTLP files and
 * run through the ingest and aggregate topologies on a MiniCluster. Event time is explicit: the
 * out-of-orderness is an hour, so nothing fires until the input ends and every window holds all its points.
 */
class MetricAggregationTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = OtlpFixtures.BASE_EPOCH_NANOS; // on a minute
    private static final long T0_MS = T0 / 1_000_000L;
    private static final Attributes ROUTE = Attributes.of(AttributeKey.stringKey("http.route"), "/checkout");
    private static final List<Double> BOUNDS = List.of(0.1, 0.5, 1.0, 5.0);

    @TempDir static Path dir;
    static Map<String, Aggregate> tenSecondsAndMinute;
    static Map<String, Aggregate> minuteFromRaw;

    private static long at(double seconds) {
        return T0 + (long) (seconds * 1e9);
    }

    @BeforeAll
    static void run() throws Exception {
        writeScenario(dir);
        tenSecondsAndMinute = aggregates(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));
        minuteFromRaw = aggregates(List.of(Duration.ofMinutes(1)));
    }

    /** What each process records and when it exports; the expected figures in the tests follow from it. */
    static void writeScenario(Path dir) {
        SdkMetricsSource a = new SdkMetricsSource("a", "checkout", "a", CUMULATIVE, at(0), 3);
        SdkMetricsSource b = new SdkMetricsSource("b", "checkout", "b", CUMULATIVE, at(0), 1);
        SdkMetricsSource c = new SdkMetricsSource("c", "checkout", "c", DELTA, at(0), 3);
        Instruments ia = new Instruments(a);
        Instruments ib = new Instruments(b);
        LongCounter jobs = c.meter.counterBuilder("jobs.processed").build();

        ia.requests.add(5, ROUTE); ia.depth.set(7, ROUTE); ia.duration.record(0.05, ROUTE); ia.duration.record(0.3, ROUTE); ia.ttft.record(1.5, ROUTE);
        a.collectAt(at(1), dir);                                       // primes a's cumulative series
        ib.requests.add(10, ROUTE); ib.depth.set(5, ROUTE); ib.duration.record(0.2, ROUTE); ib.ttft.record(10, ROUTE);
        b.collectAt(at(2), dir);                                       // primes b's
        jobs.add(5, ROUTE);
        c.collectAt(at(3), dir);
        ia.requests.add(3, ROUTE); ia.depth.set(3, ROUTE); ia.duration.record(0.7, ROUTE); ia.duration.record(2.0, ROUTE);
        ia.ttft.record(2.5, ROUTE); ia.ttft.record(3.5, ROUTE);
        a.collectAt(at(4), dir);
        a.close();

        // Process "a" restarts: same resource, a new start time, its counter back at 0.
        SdkMetricsSource a2 = new SdkMetricsSource("a2", "checkout", "a", CUMULATIVE, at(5), 3);
        Instruments ia2 = new Instruments(a2);
        ia2.requests.add(2, ROUTE); ia2.depth.set(6, ROUTE); ia2.duration.record(0.08, ROUTE);
        a2.collectAt(at(6), dir);
        ib.requests.add(7, ROUTE); ib.depth.set(9, ROUTE); ib.duration.record(0.3, ROUTE); ib.duration.record(0.4, ROUTE); ib.duration.record(3.0, ROUTE);
        ib.ttft.record(5, ROUTE); ib.ttft.record(6, ROUTE); ib.ttft.record(7, ROUTE);
        b.collectAt(at(8), dir);
        ia2.requests.add(4, ROUTE); ia2.depth.set(1, ROUTE);
        a2.collectAt(at(12), dir);
        jobs.add(2, ROUTE);
        c.collectAt(at(13), dir);
        ib.requests.add(3, ROUTE); ib.depth.set(4, ROUTE);
        b.collectAt(at(15), dir);
        a2.close();
        b.close();
        c.close();
    }

    private static final class Instruments {
        final LongCounter requests;
        final LongGauge depth;
        final DoubleHistogram duration;
        final DoubleHistogram ttft;

        Instruments(SdkMetricsSource source) {
            requests = source.meter.counterBuilder("http.server.requests").build();
            depth = source.meter.gaugeBuilder("queue.depth.now").ofLongs().build();
            duration = source.meter.histogramBuilder("http.server.request.duration").setUnit("s").setExplicitBucketBoundariesAdvice(BOUNDS).build();
            ttft = source.meter.histogramBuilder(SdkMetricsSource.EXPONENTIAL).setUnit("s").build();
        }
    }

    /** The metric aggregates of one run, by "resolution metric startSecond". */
    static Map<String, Aggregate> aggregates(List<Duration> resolutions) throws Exception {
        AggregateConfig config = new AggregateConfig();
        config.resolutions = new ArrayList<>(resolutions);
        config.maxOutOfOrderness = Duration.ofHours(1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        IngestConfig ingestConfig = IngestConfigLoader.load(null);
        IngestStreams ingest = IngestJob.buildTopology(IngestJob.fileSource(env, List.of(dir)), ingestConfig, IngestPolicies.load(ingestConfig));
        Map<String, Aggregate> out = new TreeMap<>();
        try (CloseableIterator<Aggregate> it = AggregateJob.buildTopology(ingest, config).aggregates().executeAndCollect()) {
            while (it.hasNext()) {
                Aggregate agg = it.next();
                if (!"metric".equals(agg.signal)) continue;
                assertThat(agg.update).isFalse();
                Aggregate previous = out.put(agg.resolution + " " + agg.metricName + " " + (agg.windowStart - T0_MS) / 1000, agg);
                assertThat(previous).as("one aggregate per series and window").isNull();
            }
        }
        return out;
    }

    private static Aggregate get(String key) {
        Aggregate a = tenSecondsAndMinute.get(key);
        assertThat(a).as(key + " in " + tenSecondsAndMinute.keySet()).isNotNull();
        assertThat(a.serviceName).isEqualTo("checkout");
        assertThat(a.labels).isEqualTo(Map.of("http.route", "/checkout"));
        return a;
    }

    @Test
    void everySeriesAndWindowOnceAndNothingElse() {
        assertThat(tenSecondsAndMinute.keySet()).containsExactlyInAnyOrder(
                "10s http.server.requests 0", "10s http.server.requests 10", "1m http.server.requests 0",
                "10s jobs.processed 0", "10s jobs.processed 10", "1m jobs.processed 0",
                "10s queue.depth.now 0", "10s queue.depth.now 10", "1m queue.depth.now 0",
                "10s http.server.request.duration 0", "10s http.server.request.duration 10", "1m http.server.request.duration 0",
                "10s gen_ai.server.time_to_first_token 0", "10s gen_ai.server.time_to_first_token 10", "1m gen_ai.server.time_to_first_token 0");
    }

    @Test
    void cumulativeCounterIncreasesAcrossARestartAndTwoSources() {
        // a: 5 (primes) → 8: +3; restarted a: 2 (reset: all of it); → 6: +4. b: 10 (primes) → 17: +7 → 20: +3.
        Aggregate first = get("10s http.server.requests 0");
        assertThat(first.metricType).isEqualTo("SUM");
        assertThat(first.sum).isEqualTo(12.0);
        assertThat(first.ratePerSecond).isEqualTo(1.2);
        assertThat(first.count).isEqualTo(3.0);
        Aggregate second = get("10s http.server.requests 10");
        assertThat(second.sum).isEqualTo(7.0);
        assertThat(second.ratePerSecond).isCloseTo(0.7, within(1e-12));
        Aggregate minute = get("1m http.server.requests 0");
        assertThat(minute.sum).isEqualTo(19.0);
        assertThat(minute.ratePerSecond).isEqualTo(19.0 / 60);
    }

    @Test
    void deltaCounterSumsAsReported() {
        assertThat(get("10s jobs.processed 0").sum).isEqualTo(5.0);
        assertThat(get("10s jobs.processed 10").sum).isEqualTo(2.0);
        assertThat(get("1m jobs.processed 0").sum).isEqualTo(7.0);
    }

    @Test
    void gaugeLastAvgMaxAcrossSources() {
        // [0s,10s): a 7 @1, b 5 @2, a 3 @4, restarted a 6 @6, b 9 @8. [10s,20s): restarted a 1 @12, b 4 @15.
        Aggregate first = get("10s queue.depth.now 0");
        assertThat(first.metricType).isEqualTo("GAUGE");
        assertThat(new double[] {first.last, first.avg, first.max, first.count}).containsExactly(9.0, 6.0, 9.0, 5.0);
        Aggregate second = get("10s queue.depth.now 10");
        assertThat(new double[] {second.last, second.avg, second.max, second.count}).containsExactly(4.0, 2.5, 4.0, 2.0);
        Aggregate minute = get("1m queue.depth.now 0");
        assertThat(new double[] {minute.last, minute.avg, minute.max, minute.count}).containsExactly(4.0, 5.0, 9.0, 7.0);
    }

    @Test
    void explicitHistogramMergedFromDeltasOfCumulativePointsWithPercentilesWithinABucket() {
        // Increments in [0s,10s): a 0.7, 2.0; restarted a 0.08 (reset); b 0.3, 0.4, 3.0.
        double[] values = {0.08, 0.3, 0.4, 0.7, 2.0, 3.0};
        Aggregate first = get("10s http.server.request.duration 0");
        assertThat(first.metricType).isEqualTo("HISTOGRAM");
        assertThat(first.bucketBounds).containsExactly(0.1, 0.5, 1.0, 5.0);
        assertThat(first.bucketCounts).containsExactly(1, 2, 1, 2, 0);
        assertThat(first.count).isEqualTo(6.0);
        assertThat(first.sum).isCloseTo(6.48, within(1e-9));
        assertThat(first.hasMinMax).isFalse();
        assertThat(first.unit).isEqualTo("s");
        // Rank 3 of 6 ends bucket (0.1, 0.5]; rank 5.4 is 0.7 into (1, 5].
        assertThat(first.p50).isCloseTo(0.5, within(1e-12));
        assertThat(first.p90).isCloseTo(3.8, within(1e-12));
        double[] bounds = {0.1, 0.5, 1.0, 5.0};
        assertWithinBucket(first.p50, bruteForce(values, 0.50), bounds);
        assertWithinBucket(first.p90, bruteForce(values, 0.90), bounds);
        assertWithinBucket(first.p99, bruteForce(values, 0.99), bounds);
        // Nothing recorded after 8 s: the later cumulative points add zero.
        assertThat(get("10s http.server.request.duration 10").count).isEqualTo(0.0);
        Aggregate minute = get("1m http.server.request.duration 0");
        assertThat(minute.bucketCounts).containsExactly(1, 2, 1, 2, 0);
        assertThat(minute.p90).isCloseTo(3.8, within(1e-12));
    }

    @Test
    void exponentialHistogramsAtTwoScalesMergeAtTheSmaller() {
        // a (max scale 3) adds 2.5, 3.5; b (max scale 1) adds 5, 6, 7: merged at scale 1.
        double[] values = {2.5, 3.5, 5, 6, 7};
        Aggregate first = get("10s gen_ai.server.time_to_first_token 0");
        assertThat(first.metricType).isEqualTo("EXPONENTIAL_HISTOGRAM");
        assertThat(first.scale).isEqualTo(1);
        assertThat(first.count).isEqualTo(5.0);
        assertThat(first.sum).isEqualTo(24.0);
        Map<Integer, Long> expected = new TreeMap<>();
        for (double v : values) expected.merge(exponentialIndex(v, 1), 1L, Long::sum);
        Map<Integer, Long> actual = new TreeMap<>();
        for (int i = 0; i < first.positiveBucketCounts.length; i++) {
            if (first.positiveBucketCounts[i] != 0) actual.put(first.positiveOffset + i, first.positiveBucketCounts[i]);
        }
        assertThat(actual).isEqualTo(expected);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double estimate = q == 0.5 ? first.p50 : q == 0.9 ? first.p90 : q == 0.95 ? first.p95 : first.p99;
            double truth = bruteForce(values, q);
            int index = exponentialIndex(truth, 1);
            double width = Buckets.lowerBoundary(index + 1, 1) - Buckets.lowerBoundary(index, 1);
            assertThat(estimate).as("q=%s", q).isCloseTo(truth, within(width));
        }
        assertThat(get("1m gen_ai.server.time_to_first_token 0").positiveBucketCounts).isEqualTo(first.positiveBucketCounts);
    }

    @Test
    void oneMinuteRolledUpFromTenSecondWindowsEqualsOneMinuteFromRawPoints() {
        Map<String, Aggregate> rolledUp = new TreeMap<>();
        tenSecondsAndMinute.forEach((k, v) -> {
            if (k.startsWith("1m ")) rolledUp.put(k, v);
        });
        assertThat(rolledUp.keySet()).hasSize(5).isEqualTo(minuteFromRaw.keySet());
        rolledUp.forEach((key, r) -> {
            Aggregate d = minuteFromRaw.get(key);
            assertThat(new double[] {r.count, r.sum, r.ratePerSecond, r.last, r.max, r.p50, r.p90, r.p95, r.p99}).as(key)
                    .containsExactly(d.count, d.sum, d.ratePerSecond, d.last, d.max, d.p50, d.p90, d.p95, d.p99);
            assertThat(r.avg).as(key).isCloseTo(d.avg, within(1e-12));
            assertThat(r.bucketCounts).as(key).isEqualTo(d.bucketCounts);
            assertThat(r.positiveBucketCounts).as(key).isEqualTo(d.positiveBucketCounts);
            assertThat(r.positiveOffset).as(key).isEqualTo(d.positiveOffset);
            assertThat(r.scale).as(key).isEqualTo(d.scale);
        });
    }

    /** The bucket of v at a scale, by the data model's definition: the i with base^i < v ≤ base^(i+1). */
    static int exponentialIndex(double v, int scale) {
        int i = (int) Math.ceil(Math.log(v) / Math.log(2) * Math.pow(2, scale)) - 1;
        while (Buckets.lowerBoundary(i + 1, scale) < v) i++;
        while (Buckets.lowerBoundary(i, scale) >= v) i--;
        return i;
    }

    /** The q-quantile by sorting: the value of rank ⌈q·n⌉. */
    static double bruteForce(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void assertWithinBucket(double estimate, double truth, double[] bounds) {
        int i = 0;
        while (i < bounds.length && truth > bounds[i]) i++;
        double lower = i == 0 ? 0.0 : bounds[i - 1];
        double upper = i == bounds.length ? truth : bounds[i];
        assertThat(estimate).isBetween(lower, upper);
    }
}
