package io.telemetrysuite.ingest.sample;

import io.telemetrysuite.ingest.PipelineCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Head sampling, consistent per trace and adaptive to a budget, on spans keyed by trace id.
 *
 * <ul>
 *   <li>Errors and spans slower than their route's threshold are always kept, with adjusted count 1.
 *   <li>Every other span follows its trace's decision. The first span of a trace to arrive decides it:
 *       kept when the trace id's random bits fall below the deciding service's current probability.
 *       The decision lives in keyed state (with a TTL), so every span of the trace gets the same
 *       answer on whichever parallel instance owns the key, and after a restart from a savepoint.
 *   <li>The probability is the deciding service's budget share divided by its estimated rate of
 *       non-priority spans ({@link ServiceRateEstimator}); kept spans carry 1/p as adjusted count,
 *       so sums of adjusted counts estimate the true span counts without bias.
 * </ul>
 *
 * <p>Spans arrive as {@link SpanEnvelope}s (protobuf bytes and the fields sampling needs): only the
 * kept ones are mapped and redacted afterwards, by {@link KeptSpanMapper}.
 *
 * <p>Why not decide from the trace id alone, without state: the probability moves with the rate, and
 * two instances (or one instance a second later) would disagree about a trace that straddles a change.
 */
public class TraceSampler extends KeyedProcessFunction<String, SpanEnvelope, SpanEnvelope> {
    private static final long serialVersionUID = 1L;

    private final SamplingConfig config;
    private transient ValueState<TraceDecision> decisions;
    private transient SamplingPolicy policy;
    private transient PipelineCounter sampledOut;
    private transient PipelineCounter accepted;

    public TraceSampler(SamplingConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<TraceDecision> descriptor = new ValueStateDescriptor<>("trace-decision", TraceDecision.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(config.decisionTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                // The default visits 5 entries per access, a quarter of this operator's time in the profile. A trace
                // has several spans, so visiting 2 per access still retires expired decisions faster than traces arrive.
                .cleanupIncrementally(2, false)
                .build());
        decisions = getRuntimeContext().getState(descriptor);
        policy = new SamplingPolicy(config, getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        sampledOut = PipelineCounter.register(getRuntimeContext(), PipelineCounter.SAMPLED_OUT);
        // With sampling on, a span is accepted once it is kept; the parse operator counts everything else.
        accepted = PipelineCounter.register(getRuntimeContext(), PipelineCounter.ACCEPTED);
    }

    @Override
    public void processElement(SpanEnvelope span, Context ctx, Collector<SpanEnvelope> out) throws Exception {
        TraceDecision trace = decisions.value();
        if (trace == null) {
            trace = policy.decideNewTrace(span);
            decisions.update(trace);
        }
        if (policy.apply(trace, span)) {
            accepted.inc();
            out.collect(span);
        } else {
            sampledOut.inc();
        }
    }
}
