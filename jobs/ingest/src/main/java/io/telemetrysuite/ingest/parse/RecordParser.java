package io.telemetrysuite.ingest.parse;

import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestOutputs;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.RecordCounters;
import io.telemetrysuite.ingest.sample.SpanEnvelope;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ingest job's first operator: {@link RecordProcessor} in Flink. Spans are the main output (span
 * envelopes a side output when sampling is on), every other signal and the dead letters are side
 * outputs ({@link IngestOutputs}). Stateless, so it
 * chains with the source and scales freely.
 */
public class RecordParser extends ProcessFunction<RawRecord, Span> {
    private static final long serialVersionUID = 1L;

    private final IngestConfig config;
    private final IngestPolicies policies;

    private transient RecordProcessor processor;
    private transient FlinkOutput output;

    public RecordParser(IngestConfig config, IngestPolicies policies) {
        this.config = config;
        this.policies = policies;
    }

    @Override
    public void open(OpenContext openContext) {
        processor = new RecordProcessor(config, policies, System::currentTimeMillis);
        output = new FlinkOutput(new RecordCounters(getRuntimeContext()));
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Span> out) {
        output.bind(ctx, out);
        processor.process(raw, output);
    }

    /** Routes results to the main and side outputs and counts them. */
    private static final class FlinkOutput implements RecordProcessor.Output {
        private final RecordCounters counters;
        private Context ctx;
        private Collector<Span> spans;

        FlinkOutput(RecordCounters counters) {
            this.counters = counters;
        }

        void bind(Context ctx, Collector<Span> spans) {
            this.ctx = ctx;
            this.spans = spans;
        }

        @Override
        public void span(Span span) {
            counters.valid("span", true);
            spans.collect(span);
        }

        /** Counted as accepted by the sampler, once it keeps the span. */
        @Override
        public void spanEnvelope(SpanEnvelope span) {
            counters.valid("span", false);
            ctx.output(IngestOutputs.SPAN_ENVELOPES, span);
        }

        @Override
        public void metric(MetricPoint point) {
            counters.valid("metric", true);
            ctx.output(IngestOutputs.METRICS, point);
        }

        @Override
        public void log(LogRecord log) {
            counters.valid("log", true);
            ctx.output(IngestOutputs.LOGS, log);
        }

        @Override
        public void workload(WorkloadRecord record) {
            counters.valid("workload", true);
            ctx.output(IngestOutputs.WORKLOAD, record);
        }

        @Override
        public void system(SystemSample sample) {
            counters.valid("system", true);
            ctx.output(IngestOutputs.SYSTEM, sample);
        }

        @Override
        public void inference(InferenceSample sample) {
            counters.valid("inference", true);
            ctx.output(IngestOutputs.INFERENCE, sample);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            counters.deadLettered(deadLetter.reason);
            ctx.output(IngestOutputs.DEAD_LETTERS, deadLetter);
        }

        @Override
        public void received(long count) {
            counters.received.inc(count);
        }

        @Override
        public void violation(String ruleId) {
            counters.violation(ruleId);
        }
    }
}
