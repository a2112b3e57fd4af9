package io.telemetrysuite.traces.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.testing.ModelFixtures;
import io.telemetrysuite.testing.SpanPojoTypeInfo;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.sampling.TailSamplingConfig;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A snapshot whose span state was written with the {@code PojoSerializer} (every savepoint of the trace
 * job taken before {@code SpanSerializer}) restores into the assembler: the pending trace is decided
 * with all its spans intact, and the state, snapshotted again, is in the new format and restores too.
 */
class SpanStateMigrationTest {
    private static final long MS = 1_000_000L;
    private static final long WAIT_MS = 30_000;

    @Test
    void spanStateWrittenByThePojoSerializerRestoresIntoTheAssembler() throws Exception {
        Span root = ModelFixtures.span();
        Span child = ModelFixtures.span();
        child.spanId = "00f067aa0ba902b8";
        child.parentSpanId = root.spanId;
        root.parentSpanId = "";
        Span third = ModelFixtures.span();
        third.spanId = "00f067aa0ba902b9";
        third.parentSpanId = root.spanId;
        long deadline = root.endTimeUnixNano / MS + WAIT_MS;

        OperatorSubtaskState oldFormat;
        try (var before = harness(new AssemblerStateBefore())) {
            before.open();
            before.processElement(record(root));
            before.processElement(record(child));
            oldFormat = before.snapshot(1, 1);
        }

        OperatorSubtaskState newFormat;
        try (var migrated = harness(new TraceAssembler(config()))) {
            migrated.initializeState(oldFormat);
            migrated.open();
            migrated.processElement(record(third));
            newFormat = migrated.snapshot(2, 2);
        }

        try (var restored = harness(new TraceAssembler(config()))) {
            restored.initializeState(newFormat);
            restored.open();
            restored.processWatermark(deadline);
            List<Trace> traces = restored.extractOutputValues();
            assertThat(traces).hasSize(1);
            assertThat(traces.get(0).spans).containsExactly(root, child, third);
            assertThat(restored.numEventTimeTimers()).isZero();
        }
    }

    private static TraceConfig config() {
        TailSamplingConfig sampling = new TailSamplingConfig();
        sampling.decisionWait = Duration.ofMillis(WAIT_MS);
        TraceConfig config = new TraceConfig(sampling, TraceDecider.keepAll());
        config.processingTimeBound = Duration.ofHours(1);
        return config;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Span, Trace> harness(KeyedProcessFunction<String, Span, Trace> function)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), s -> s.traceId, Types.STRING);
    }

    private static StreamRecord<Span> record(Span span) {
        return new StreamRecord<>(span, span.endTimeUnixNano / MS);
    }

    /** The assembler's state as a job built before {@code SpanSerializer} wrote it: same names, spans as a POJO. */
    private static final class AssemblerStateBefore extends KeyedProcessFunction<String, Span, Trace> {
        private transient ListState<Span> spans;
        private transient ValueState<PendingTrace> pending;

        @Override
        public void open(OpenContext openContext) {
            spans = getRuntimeContext().getListState(new ListStateDescriptor<>("spans", SpanPojoTypeInfo.asBefore()));
            pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", TypeInformation.of(PendingTrace.class)));
        }

        @Override
        public void processElement(Span span, Context ctx, Collector<Trace> out) throws Exception {
            PendingTrace p = pending.value();
            if (p == null) {
                p = new PendingTrace();
                p.eventDeadline = ctx.timestamp() + WAIT_MS;
                ctx.timerService().registerEventTimeTimer(p.eventDeadline);
            }
            p.maxEventMillis = Math.max(p.maxEventMillis, ctx.timestamp());
            p.heldSpans++;
            spans.add(span);
            pending.update(p);
        }
    }
}
