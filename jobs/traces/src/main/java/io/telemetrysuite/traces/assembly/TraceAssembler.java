package io.telemetrysuite.traces.assembly;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.traces.TraceConfig;
import io.telemetrysuite.traces.sampling.SamplingDecision;
import io.telemetrysuite.traces.sampling.TraceDecider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Assembles spans keyed by trace id into traces, decides each once, and emits it with its figures
 * and critical path ({@link TraceSummary}).
 *
 * <p>A trace is decided at the earliest of: {@code decision_wait} after its first span's event time;
 * {@code decision_wait_after_root_received} after the root span's event time, when set; the
 * processing-time bound ({@link TraceConfig#processingTimeBound}) after its first span arrived by the
 * wall clock, so an idle or stalled stream still decides; the end of a bounded input (the final
 * watermark fires every event-time deadline).
 *
 * <p>Bounds, each counted in the operator's metrics (group {@code traces}):
 * <ul>
 *   <li>traces in flight per subtask ({@link TraceConfig#maxTracesInFlightPerSubtask()}, {@code num_traces}
 *       per subtask as per Collector instance): a new trace
 *       arriving at the bound is decided at once on what it has ({@code tracesDecidedEarly}); its later
 *       spans follow that decision as late fragments. Unlike the Collector, which drops its oldest
 *       trace undecided, nothing is lost: Flink cannot reach another key's state from here;
 *   <li>spans and bytes per trace ({@link TraceConfig#maxSpansPerTrace}, {@code maximum_trace_size_bytes}):
 *       spans beyond them are not held ({@code spansDroppedOverSize}) and the trace reports them in
 *       {@link Trace#droppedSpans}.
 * </ul>
 * The in-flight count lives on the heap of the subtask, not in state: after a restore it starts from
 * zero, so for one decision wait the bound can be exceeded by the traces restored pending.
 *
 * <p>Decisions are cached in keyed state with time to live ({@link TraceConfig#sampledDecisionTtl()},
 * {@link TraceConfig#notSampledDecisionTtl()}, processing time, as Flink's TTL is): spans of a decided
 * trace are assembled again as a late fragment ({@link Trace#late}) and take the cached decision
 * without asking the decider.
 */
public class TraceAssembler extends KeyedProcessFunction<String, Span, Trace> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC_GROUP = "traces";

    private final TraceDecider decider;
    private final long decisionWaitMillis;
    private final long waitAfterRootMillis;
    private final long processingBoundMillis;
    private final long maxTraceBytes;
    private final int maxSpansPerTrace;
    private final int maxInFlight;
    private final Duration sampledTtl;
    private final Duration notSampledTtl;

    private transient ListState<Span> spans;
    private transient ValueState<PendingTrace> pending;
    private transient ValueState<String> sampledPolicy;
    private transient ValueState<String> notSampledPolicy;
    private transient int inFlight;
    private transient Counter decided;
    private transient Counter sampled;
    private transient Counter notSampled;
    private transient Counter lateFragments;
    private transient Counter lateSpans;
    private transient Counter decidedEarly;
    private transient Counter droppedOverSize;

    public TraceAssembler(TraceConfig config) {
        this.decider = config.decider;
        this.decisionWaitMillis = config.sampling.decisionWait.toMillis();
        this.waitAfterRootMillis = config.sampling.decisionWaitAfterRootReceived.toMillis();
        this.processingBoundMillis = config.processingTimeBound.toMillis();
        this.maxTraceBytes = config.sampling.maximumTraceSizeBytes;
        this.maxSpansPerTrace = config.maxSpansPerTrace;
        this.maxInFlight = config.maxTracesInFlightPerSubtask();
        this.sampledTtl = config.sampledDecisionTtl();
        this.notSampledTtl = config.notSampledDecisionTtl();
    }

    @Override
    public void open(OpenContext openContext) {
        spans = getRuntimeContext().getListState(new ListStateDescriptor<>("spans", TypeInformation.of(Span.class)));
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", TypeInformation.of(PendingTrace.class)));
        sampledPolicy = getRuntimeContext().getState(cache("sampled-decision", sampledTtl));
        notSampledPolicy = getRuntimeContext().getState(cache("not-sampled-decision", notSampledTtl));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
        decided = metrics.counter("tracesDecided");
        sampled = metrics.counter("tracesSampled");
        notSampled = metrics.counter("tracesNotSampled");
        lateFragments = metrics.counter("lateFragments");
        lateSpans = metrics.counter("lateSpans");
        decidedEarly = metrics.counter("tracesDecidedEarly");
        droppedOverSize = metrics.counter("spansDroppedOverSize");
        metrics.gauge("tracesInFlight", () -> inFlight);
    }

    private static ValueStateDescriptor<String> cache(String name, Duration ttl) {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>(name, Types.STRING);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                // Flink's default visits 5 entries per state access; 2 still outpaces the one entry a decided trace
                // writes (the caches are read twice and written once per trace), at less than half the cost.
                .cleanupIncrementally(2, false)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }

    @Override
    public void processElement(Span span, Context ctx, Collector<Trace> out) throws Exception {
        long eventTime = ctx.timestamp() != null ? ctx.timestamp() : span.endTimeUnixNano / 1_000_000L;
        PendingTrace p = pending.value();
        if (p == null) {
            p = new PendingTrace();
            // The one read of the decision caches for this trace (each read also runs TTL cleanup): decide() reuses it.
            SamplingDecision cached = cachedDecision();
            if (cached != null) {
                p.late = true;
                p.lateSampled = cached.sampled();
                p.latePolicy = cached.policy();
            }
            p.eventDeadline = eventTime + decisionWaitMillis;
            p.processingDeadline = ctx.timerService().currentProcessingTime() + processingBoundMillis;
            ctx.timerService().registerEventTimeTimer(p.eventDeadline);
            ctx.timerService().registerProcessingTimeTimer(p.processingDeadline);
            inFlight++;
        }
        p.maxEventMillis = Math.max(p.maxEventMillis, eventTime);
        if (p.late) lateSpans.inc();
        if (span.isRoot() && !p.rootSeen) {
            p.rootSeen = true;
            if (waitAfterRootMillis > 0 && eventTime + waitAfterRootMillis < p.eventDeadline) {
                ctx.timerService().deleteEventTimeTimer(p.eventDeadline);
                p.eventDeadline = eventTime + waitAfterRootMillis;
                ctx.timerService().registerEventTimeTimer(p.eventDeadline);
            }
        }
        long bytes = SpanSize.estimate(span);
        if (p.heldSpans >= maxSpansPerTrace || (maxTraceBytes > 0 && p.heldBytes + bytes > maxTraceBytes)) {
            p.droppedSpans++;
            droppedOverSize.inc();
        } else {
            spans.add(span);
            p.heldSpans++;
            p.heldBytes += bytes;
        }
        if (!p.late && p.heldSpans + p.droppedSpans == 1 && inFlight > maxInFlight) {
            decidedEarly.inc();
            decide(ctx.getCurrentKey(), p, eventTime, true, null, ctx.timerService(), out);
            return;
        }
        pending.update(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Trace> out) throws Exception {
        PendingTrace p = pending.value();
        if (p == null) return;
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        // A deleted-and-moved deadline never fires, but a timer of an earlier, already decided trace of the same id can.
        if (eventTime ? timestamp != p.eventDeadline : timestamp != p.processingDeadline) return;
        long now = eventTime ? timestamp : Math.max(p.maxEventMillis, ctx.timerService().currentWatermark());
        decide(ctx.getCurrentKey(), p, now, false, ctx.timeDomain(), ctx.timerService(), out);
    }

    /** {@code firedBy}: the domain of the timer that fired (already removed from its queue), or null when deciding early. */
    private void decide(String traceId, PendingTrace p, long nowMillis, boolean early, @Nullable TimeDomain firedBy,
                        TimerService timers, Collector<Trace> out) throws Exception {
        List<Span> held = new ArrayList<>(p.heldSpans);
        Iterable<Span> stored = spans.get();
        if (stored != null) stored.forEach(held::add);
        boolean late = p.late;
        SamplingDecision decision;
        if (late) {
            decision = p.lateSampled ? SamplingDecision.keep(p.latePolicy) : SamplingDecision.drop(p.latePolicy);
        } else {
            decision = decider.decide(traceId, held, nowMillis);
            if (decision.sampled()) sampledPolicy.update(decision.policy());
            else notSampledPolicy.update(decision.policy() == null ? "" : decision.policy());
        }
        Trace trace = TraceSummary.of(traceId, held, decision, late, p.droppedSpans);
        trace.decidedEarly = early;
        if (firedBy != TimeDomain.EVENT_TIME) timers.deleteEventTimeTimer(p.eventDeadline);
        if (firedBy != TimeDomain.PROCESSING_TIME) timers.deleteProcessingTimeTimer(p.processingDeadline);
        spans.clear();
        pending.clear();
        inFlight = Math.max(0, inFlight - 1);
        decided.inc();
        if (late) lateFragments.inc();
        if (decision.sampled()) sampled.inc();
        else notSampled.inc();
        out.collect(trace);
    }

    private SamplingDecision cachedDecision() throws Exception {
        String kept = sampledPolicy.value();
        if (kept != null) return SamplingDecision.keep(kept);
        String dropped = notSampledPolicy.value();
        return dropped == null ? null : SamplingDecision.drop(dropped);
    }
}
