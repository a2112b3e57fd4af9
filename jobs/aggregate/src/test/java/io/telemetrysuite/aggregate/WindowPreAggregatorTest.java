package io.telemetrysuite.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** What leaves the pre-aggregator, and when: one partial per key and window, before the watermark that passes it. */
class WindowPreAggregatorTest {
    private static final long WINDOW = 10_000L;

    @Test
    void oneWindowsEventsOfOneKeyLeaveAsOnePartialBeforeTheWatermarkThatPassesIt() throws Exception {
        try (var harness = harness()) {
            harness.processElement(span("checkout", 1_000L, 10.0), 1_000L);
            harness.processElement(span("checkout", 9_999L, 30.0), 9_999L);
            harness.processElement(span("cart", 2_000L, 5.0), 2_000L);
            harness.processElement(span("checkout", 10_000L, 7.0), 10_000L);
            assertThat(harness.getOutput()).isEmpty();

            harness.processWatermark(new Watermark(9_999L));

            List<Object> output = List.copyOf(harness.getOutput());
            assertThat(output).hasSize(3);
            assertThat(output.subList(0, 2)).allSatisfy(o -> assertThat(((StreamRecord<?>) o).getTimestamp()).isEqualTo(9_999L));
            assertThat(output.subList(0, 2)).extracting(o -> partial(o).accumulator.serviceName + "=" + partial(o).accumulator.count)
                    .containsExactlyInAnyOrder("checkout=2.0", "cart=1.0");
            assertThat(output.subList(0, 2)).allSatisfy(o -> assertThat(partial(o).observation).isNull());
            assertThat(output.get(2)).isEqualTo(new Watermark(9_999L));
            assertThat(partial(output.get(0)).key).isIn(span("checkout", 0, 0).key(), span("cart", 0, 0).key());
        }
    }

    @Test
    void anEventForAWindowAlreadyFlushedGoesOnAloneWithItsObservation() throws Exception {
        try (var harness = harness()) {
            harness.processWatermark(new Watermark(15_000L));
            Observation late = span("checkout", 4_000L, 12.0);
            harness.processElement(late, 4_000L);

            StreamRecord<?> record = (StreamRecord<?>) harness.getOutput().toArray()[1];
            WindowPartial partial = (WindowPartial) record.getValue();
            assertThat(record.getTimestamp()).isEqualTo(9_999L);
            assertThat(partial.observation).usingRecursiveComparison().isEqualTo(late);
            assertThat(partial.accumulator.count).isEqualTo(1.0);
        }
    }

    @Test
    void aCheckpointBarrierFlushesEveryOpenWindowSoTheOperatorKeepsNoState() throws Exception {
        try (var harness = harness()) {
            harness.processElement(span("checkout", 1_000L, 10.0), 1_000L);
            harness.processElement(span("checkout", 25_000L, 10.0), 25_000L);

            harness.prepareSnapshotPreBarrier(1L);

            assertThat(harness.getOutput()).hasSize(2);
            assertThat(harness.getOutput()).extracting(o -> ((StreamRecord<?>) o).getTimestamp()).containsExactlyInAnyOrder(9_999L, 29_999L);
        }
    }

    private static OneInputStreamOperatorTestHarness<Observation, WindowPartial> harness() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new WindowPreAggregator(WINDOW, 200, 1_000),
                TypeInformation.of(Observation.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        harness.open();
        return harness;
    }

    private static WindowPartial partial(Object record) {
        return (WindowPartial) ((StreamRecord<?>) record).getValue();
    }

    private static Observation span(String service, long timestampMillis, double latencyMs) {
        Observation o = new Observation();
        o.signal = Observation.SPAN;
        o.serviceName = service;
        o.spanName = "GET /";
        o.kind = "SERVER";
        o.timestampMillis = timestampMillis;
        o.hasLatency = true;
        o.latencyMs = latencyMs;
        return o;
    }
}
