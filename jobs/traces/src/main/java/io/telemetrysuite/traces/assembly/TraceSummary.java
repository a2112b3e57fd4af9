package io.telemetrysuite.traces.assembly;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import io.telemetrysuite.traces.sampling.SamplingDecision;
import java.util.List;
import java.util.TreeSet;

/** Builds a {@link Trace} (its figures, critical path and decision) from the spans assembled for it. */
public final class TraceSummary {
    private TraceSummary() {}

    /**
     * @param spans the trace's spans (or a late fragment's), in arrival order; not copied
     * @param droppedSpans spans received but not held (over the per-trace bounds)
     */
    public static Trace of(String traceId, List<Span> spans, SamplingDecision decision, boolean late, int droppedSpans) {
        Trace t = new Trace();
        t.traceId = traceId;
        t.spanCount = spans.size();
        t.droppedSpans = droppedSpans;
        t.sampled = decision.sampled();
        t.policy = decision.policy() == null ? "" : decision.policy();
        t.late = late;
        t.spans = spans;
        Span root = null;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        TreeSet<String> services = new TreeSet<>();
        for (Span s : spans) {
            if (s.isRoot() && (root == null || s.endTimeUnixNano > root.endTimeUnixNano)) root = s;
            first = Math.min(first, s.startTimeUnixNano);
            last = Math.max(last, s.endTimeUnixNano);
            if (s.serviceName != null && !s.serviceName.isEmpty()) services.add(s.serviceName);
            t.error |= s.isError();
        }
        if (!spans.isEmpty()) {
            t.startTimeUnixNano = first;
            t.endTimeUnixNano = last;
        }
        t.services.addAll(services);
        t.rootMissing = root == null;
        if (root != null) {
            t.durationNanos = root.durationNanos();
            t.rootServiceName = root.serviceName;
            t.rootName = root.name;
        } else {
            t.durationNanos = spans.isEmpty() ? 0 : last - first;
        }
        t.criticalPath = CriticalPath.of(spans);
        return t;
    }

    /** The same trace without its spans: what the summaries topic and {@code traces.jsonl} carry. */
    public static Trace withoutSpans(Trace trace) {
        Trace t = new Trace();
        t.traceId = trace.traceId;
        t.spanCount = trace.spanCount;
        t.droppedSpans = trace.droppedSpans;
        t.rootMissing = trace.rootMissing;
        t.durationNanos = trace.durationNanos;
        t.startTimeUnixNano = trace.startTimeUnixNano;
        t.endTimeUnixNano = trace.endTimeUnixNano;
        t.error = trace.error;
        t.services = trace.services;
        t.rootServiceName = trace.rootServiceName;
        t.rootName = trace.rootName;
        t.sampled = trace.sampled;
        t.policy = trace.policy;
        t.late = trace.late;
        t.decidedEarly = trace.decidedEarly;
        t.criticalPath = trace.criticalPath;
        return t;
    }
}
