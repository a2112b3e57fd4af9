package io.telemetrysuite.ingest.sample;

import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.model.Span;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** After the sampler: maps and redacts the spans it kept ({@link KeptSpans}). Stateless; chains with the sampler. */
public class KeptSpanMapper extends ProcessFunction<SpanEnvelope, Span> {
    private static final long serialVersionUID = 1L;

    private final IngestPolicies policies;
    private transient KeptSpans keptSpans;

    public KeptSpanMapper(IngestPolicies policies) {
        this.policies = policies;
    }

    @Override
    public void open(OpenContext openContext) {
        keptSpans = new KeptSpans(policies.newRedactor());
    }

    @Override
    public void processElement(SpanEnvelope envelope, Context ctx, Collector<Span> out) {
        out.collect(keptSpans.map(envelope));
    }
}
