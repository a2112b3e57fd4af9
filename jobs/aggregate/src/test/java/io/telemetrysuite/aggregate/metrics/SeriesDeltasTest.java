package io.telemetrysuite.aggregate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.MetricPoint;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** {@link SeriesDeltas} alone, event time driven by hand: ordering, priming, resets, late cumulative points, state left behind. */
class SeriesDeltasTest {
    private static final OutputTag<MetricAccumulator> LATE = new OutputTag<>("late", TypeInformation.of(MetricAccumulator.class));

    private static MetricPoint counter(long timeMillis, double value, long startMillis) {
        MetricPoint p = new MetricPoint();
        p.metricName = "http.server.requests";
        p.type = MetricPoint.Type.SUM;
        p.monotonic = true;
        p.aggregationTemporality = "CUMULATIVE";
        p.serviceName = "checkout";
        p.attributes = Map.of("http.route", "/a");
        p.resourceAttributes = Map.of("service.name", "checkout", "service.instance.id", "i-1");
        p.startTimeUnixNano = startMillis * 1_000_000L;
        p.timeUnixNano = timeMillis * 1_000_000L;
        p.value = value;
        return p;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, MetricAccumulator> opened() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SeriesDeltas(LATE)),
                SeriesDeltas::sourceSeries, Types.STRING);
        harness.open();
        return harness;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, MetricAccumulator> h, MetricPoint p) throws Exception {
        h.processElement(new StreamRecord<>(p, p.timeUnixNano / 1_000_000L));
    }

    private static List<String> increases(KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, MetricAccumulator> h) {
        return h.extractOutputStreamRecords().stream().map(r -> r.getTimestamp() + ":" + r.getValue().increase).collect(Collectors.toList());
    }

    @Test
    void outOfOrderPointsAreTakenInTimeOrderOnceTheWatermarkPassesThem() throws Exception {
        try (var h = opened()) {
            send(h, counter(3_000, 30, 0));
            send(h, counter(1_000, 10, 0));
            send(h, counter(2_000, 25, 0));
            assertThat(h.extractOutputStreamRecords()).isEmpty();
            h.processWatermark(3_000);
            // 10 primes; then +15, +5 (not 25 − 30 or a reset from taking them in arrival order).
            assertThat(increases(h)).containsExactly("2000:15.0", "3000:5.0");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aDecreaseOrANewStartTimeIsAResetThatCountsTheNewValue() throws Exception {
        try (var h = opened()) {
            send(h, counter(1_000, 10, 0));
            send(h, counter(2_000, 4, 0));       // went down: restarted without a new start time
            send(h, counter(3_000, 9, 0));
            send(h, counter(4_000, 12, 3_500));  // higher, but a new start time: a restart that already counted 12
            h.processWatermark(10_000);
            assertThat(increases(h)).containsExactly("2000:4.0", "3000:5.0", "4000:12.0");
        }
    }

    @Test
    void aCumulativePointNotNewerThanItsSeriesGoesToTheLateOutput() throws Exception {
        try (var h = opened()) {
            send(h, counter(1_000, 10, 0));
            send(h, counter(5_000, 20, 0));
            h.processWatermark(5_000);
            send(h, counter(4_000, 15, 0));      // behind the watermark and older than the series' last point
            send(h, counter(6_000, 26, 0));
            h.processWatermark(6_000);
            assertThat(increases(h)).containsExactly("5000:10.0", "6000:6.0");
            assertThat(h.getSideOutput(LATE)).singleElement().satisfies(r -> {
                assertThat(r.getValue().timestampMillis).isEqualTo(4_000);
                assertThat(r.getValue().metricName).isEqualTo("http.server.requests");
            });
        }
    }

    @Test
    void gaugeAndDeltaPointsPassThroughWithoutPriming() throws Exception {
        try (var h = opened()) {
            MetricPoint gauge = counter(1_000, 7, 0);
            gauge.type = MetricPoint.Type.GAUGE;
            MetricPoint delta = counter(2_000, 3, 1_000);
            delta.aggregationTemporality = "DELTA";
            MetricPoint upDown = counter(3_000, -2, 0);
            upDown.monotonic = false;
            send(h, gauge);
            send(h, delta);
            send(h, upDown);
            h.processWatermark(3_000);
            assertThat(h.extractOutputStreamRecords()).extracting(r -> r.getValue().metricType + " last=" + r.getValue().last + " increase="
                    + r.getValue().increase).containsExactly("GAUGE last=7.0 increase=0.0", "SUM last=0.0 increase=3.0",
                    "UPDOWN_SUM last=-2.0 increase=0.0");
        }
    }
}
