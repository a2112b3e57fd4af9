package io.telemetrysuite.aggregate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.AggregateStreams;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.testing.TestSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metric windows' event-time rules on a MiniCluster, with a watermark after every point (largest
 * timestamp − 5 s − 1 ms) from one ordered source: late points within the allowed lateness update
 * their window, later ones and out-of-order cumulative points become dead letters, and a histogram
 * whose bounds change is aggregated per layout.
 */
class MetricWindowsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = TestSpans.T0_NANOS / TestSpans.MS; // on a minute

    @Test
    void lateUpdatesDeadLettersAndHistogramLayouts() throws Exception {
        List<MetricPoint> points = List.of(
                histogram(1, new double[] {1, 2}, new long[] {1, 0, 0}),
                histogram(2, new double[] {1, 5}, new long[] {0, 1, 0}),   // same series, other bounds: its own aggregate
                delta(3, 5),
                delta(20, 1),                // watermark 14.999 s: [0s,10s) fires with 5
                delta(4, 2),                 // late, within the 1 min allowed lateness: [0s,10s) again, 7, as an update
                cumulative(21, 10),          // primes
                cumulative(30, 15),          // watermark 24.999 s
                delta(100, 1),               // watermark 94.999 s: [0s,10s) is closed (69.999 s); req +5 in [30s,40s)
                delta(5, 3),                 // later than the allowed lateness: dead letter
                cumulative(25, 12));         // older than the series' last point (30 s): dead letter

        AggregateConfig config = new AggregateConfig();
        config.resolutions = new ArrayList<>(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        // Parallelism 1: with two subtasks between the source and the windows, a point can overtake the
        // watermark sent before it on another channel, and which window a late point lands in would race.
        env.setParallelism(1);
        AggregateStreams out = MetricAggregation.attach(env.fromData(points, TypeInformation.of(MetricPoint.class)).setParallelism(1),
                config, perPointWatermarks());
        CloseableIterator<Aggregate> aggregates = out.aggregates().collectAsync();
        CloseableIterator<DeadLetter> late = out.lateDeadLetters().collectAsync();
        env.executeAsync("metric windows");
        List<String> described = new ArrayList<>();
        aggregates.forEachRemaining(a -> described.add(describe(a)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        late.forEachRemaining(deadLetters::add);

        assertThat(described).containsExactlyInAnyOrder(
                "10s d [1.0, 2.0] [0,10) count=1.0 buckets=[1, 0, 0] update=false",
                "10s d [1.0, 5.0] [0,10) count=1.0 buckets=[0, 1, 0] update=false",
                "1m d [1.0, 2.0] [0,60) count=1.0 buckets=[1, 0, 0] update=false",
                "1m d [1.0, 5.0] [0,60) count=1.0 buckets=[0, 1, 0] update=false",
                "10s jobs [] [0,10) sum=5.0 update=false",
                "10s jobs [] [0,10) sum=7.0 update=true",
                "10s jobs [] [20,30) sum=1.0 update=false",
                "10s jobs [] [100,110) sum=1.0 update=false",
                "1m jobs [] [0,60) sum=8.0 update=false",
                "1m jobs [] [60,120) sum=1.0 update=false",
                "10s req [] [30,40) sum=5.0 update=false",
                "1m req [] [0,60) sum=5.0 update=false");
        assertThat(deadLetters).extracting(d -> d.reason + " " + d.signal + " " + d.message).containsExactlyInAnyOrder(
                AggregateJob.LATE_EVENT + " metric metric point jobs of checkout at " + (T0 + 5_000)
                        + " ms is later than the allowed lateness (60000 ms) (watermark " + (T0 + 94_999) + " ms)",
                AggregateJob.LATE_EVENT + " metric metric point req of checkout at " + (T0 + 25_000)
                        + " ms is cumulative and not newer than the last point of its series (watermark " + (T0 + 94_999) + " ms)");
    }

    private static String describe(Aggregate a) {
        String figures = a.metricType.equals("HISTOGRAM") ? "count=" + a.count + " buckets=" + Arrays.toString(a.bucketCounts) : "sum=" + a.sum;
        return a.resolution + " " + a.metricName + " " + Arrays.toString(a.bucketBounds) + " [" + (a.windowStart - T0) / 1000 + ","
                + (a.windowEnd - T0) / 1000 + ") " + figures + " update=" + a.update;
    }

    private static MetricPoint point(String name, String type, String temporality, double seconds) {
        MetricPoint p = new MetricPoint();
        p.metricName = name;
        p.type = type;
        p.aggregationTemporality = temporality;
        p.monotonic = true;
        p.serviceName = "checkout";
        p.attributes = Map.of("route", "/a");
        p.resourceAttributes = Map.of("service.name", "checkout");
        p.timeUnixNano = (T0 + (long) (seconds * 1000)) * TestSpans.MS;
        p.startTimeUnixNano = T0 * TestSpans.MS;
        return p;
    }

    private static MetricPoint delta(double seconds, double value) {
        MetricPoint p = point("jobs", MetricPoint.Type.SUM, "DELTA", seconds);
        p.value = value;
        return p;
    }

    private static MetricPoint cumulative(double seconds, double value) {
        MetricPoint p = point("req", MetricPoint.Type.SUM, "CUMULATIVE", seconds);
        p.value = value;
        return p;
    }

    private static MetricPoint histogram(double seconds, double[] bounds, long[] counts) {
        MetricPoint p = point("d", MetricPoint.Type.HISTOGRAM, "DELTA", seconds);
        p.explicitBounds = bounds;
        p.bucketCounts = counts;
        p.count = Arrays.stream(counts).sum();
        return p;
    }

    private static WatermarkStrategy<MetricPoint> perPointWatermarks() {
        long bound = new AggregateConfig().maxOutOfOrderness.toMillis();
        return WatermarkStrategy.<MetricPoint>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + bound + 1;

            @Override
            public void onEvent(MetricPoint event, long timestamp, WatermarkOutput output) {
                max = Math.max(max, timestamp);
                output.emitWatermark(new Watermark(max - bound - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((p, previous) -> p.timeUnixNano / 1_000_000L);
    }
}
