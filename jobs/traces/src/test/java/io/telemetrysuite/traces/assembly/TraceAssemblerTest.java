package io.telemetrysuite.traces.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The assembler's deadlines and bounds, driven by explicit watermarks and processing time. */
class TraceAssemblerTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_800_000_000_000L; // epoch ms

    @Test
    void decidesDecisionWaitAfterTheFirstSpanInEventTimeAndCleansUpItsState() throws Exception {
        try (var h = harness(config(new TailSamplingConfig()))) {
            h.processElement(record(span("t1", "a", "", 0, 50)));
            h.processElement(record(span("t1", "b", "a", 10, 20)));
            h.processWatermark(T0 + 50 + 30_000 - 1);
            assertThat(traces(h)).isEmpty();
            h.processWatermark(T0 + 50 + 30_000);
            assertThat(traces(h)).extracting(t -> t.traceId + " " + t.spanCount).containsExactly("t1 2");
            // Spans, the pending record and both timers are gone; only the decision cache remains.
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void decidesEarlierAfterTheRootWhenDecisionWaitAfterRootReceivedIsSet() throws Exception {
        TailSamplingConfig sampling = new TailSamplingConfig();
        sampling.decisionWaitAfterRootReceived = Duration.ofSeconds(2);
        try (var h = harness(config(sampling))) {
            h.processElement(record(span("t1", "b", "a", 10, 20)));
            h.processElement(record(span("t1", "a", "", 0, 100)));
            h.processWatermark(T0 + 100 + 2_000);
            assertThat(traces(h)).extracting(t -> t.spanCount + " " + t.rootMissing).containsExactly("2 false");
        }
    }

    @Test
    void theProcessingTimeBoundDecidesWhenTheWatermarkStalls() throws Exception {
        TraceConfig config = config(new TailSamplingConfig());
        config.processingTimeBound = Duration.ofSeconds(45);
        try (var h = harness(config)) {
            h.setProcessingTime(1_000);
            h.processElement(record(span("t1", "a", "", 0, 50)));
            h.setProcessingTime(1_000 + 45_000 - 1);
            assertThat(traces(h)).isEmpty();
            h.setProcessingTime(1_000 + 45_000);
            assertThat(traces(h)).hasSize(1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aNewTraceBeyondTheInFlightBoundIsDecidedAtOnceAndCounted() throws Exception {
        TailSamplingConfig sampling = new TailSamplingConfig();
        sampling.numTraces = 2;
        try (var h = harness(config(sampling).withParallelism(2))) { // num_traces is per subtask, as per Collector instance
            h.processElement(record(span("t1", "a", "", 0, 50)));
            h.processElement(record(span("t2", "a", "", 0, 50)));
            assertThat(traces(h)).isEmpty();
            h.processElement(record(span("t3", "a", "", 0, 50)));
            assertThat(traces(h)).extracting(t -> t.traceId + " " + t.decidedEarly).containsExactly("t3 true");
            // Its later span follows that decision as a late fragment.
            h.processElement(record(span("t3", "b", "a", 10, 20)));
            h.processWatermark(T0 + 60_000);
            assertThat(traces(h)).extracting(t -> t.traceId + " " + t.late).containsExactlyInAnyOrder("t3 false", "t1 false", "t2 false", "t3 true");
        }
    }

    @Test
    void spansBeyondMaximumTraceSizeBytesAreCountedNotHeld() throws Exception {
        TailSamplingConfig sampling = new TailSamplingConfig();
        Span probe = span("t1", "s1", "s0", 0, 1); // the largest of the five
        sampling.maximumTraceSizeBytes = 3 * SpanSize.estimate(probe);
        try (var h = harness(config(sampling))) {
            for (int i = 0; i < 5; i++) h.processElement(record(span("t1", "s" + i, i == 0 ? "" : "s0", 0, 1)));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(traces(h)).extracting(t -> t.spanCount + " " + t.droppedSpans).containsExactly("3 2");
        }
    }

    private static TraceConfig config(TailSamplingConfig sampling) {
        TraceConfig config = new TraceConfig(sampling, TraceDecider.keepAll());
        config.processingTimeBound = Duration.ofHours(1);
        return config;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Span, Trace> harness(TraceConfig config) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TraceAssembler(config)), s -> s.traceId, Types.STRING);
        h.open();
        return h;
    }

    private static Span span(String trace, String id, String parent, long startMs, long endMs) {
        Span s = new Span();
        s.traceId = trace;
        s.spanId = id;
        s.parentSpanId = parent;
        s.name = "op";
        s.serviceName = "svc";
        s.startTimeUnixNano = (T0 + startMs) * MS;
        s.endTimeUnixNano = (T0 + endMs) * MS;
        return s;
    }

    private static StreamRecord<Span> record(Span span) {
        return new StreamRecord<>(span, span.endTimeUnixNano / MS);
    }

    private static List<Trace> traces(KeyedOneInputStreamOperatorTestHarness<String, Span, Trace> h) {
        return h.extractOutputValues();
    }
}
