package io.telemetrysuite.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An assembled trace, or a late fragment of one, with its decision and the figures a trace UI shows:
 * one line of {@code traces.jsonl} (summary fields) and one record of the kept-traces topic (with
 * {@link #spans}).
 */
public class Trace {
    public String traceId = "";
    public int spanCount;
    /** Whether no span without a parent (the root) arrived. */
    public boolean rootMissing;
    /** The root span's duration; without a root, the earliest start to the latest end. */
    public long durationNanos;
    public long startTimeUnixNano;
    public long endTimeUnixNano;
    /** Whether any span has status ERROR. */
    public boolean error;
    /** Distinct service names, sorted. */
    public List<String> services = new ArrayList<>();
    public String rootServiceName = "";
    public String rootName = "";
    /** Whether the tail-sampling decision kept the trace. */
    public boolean sampled;
    /** The policy that decided: the one that kept it, or the one that dropped it; empty when none matched. */
    public String policy = "";
    /** Whether this is a fragment of spans that arrived after the trace was decided. */
    public boolean late;
    /** The critical path from the root, in order. */
    public List<CriticalPathSection> criticalPath = new ArrayList<>();
    /** Spans received for the trace but not held: over {@code maximum_trace_size_bytes} or the span cap per trace. */
    public int droppedSpans;
    /** Whether the trace was decided before its decision wait ended, because its subtask held its bound of traces in flight. */
    public boolean decidedEarly;
    /** The spans; empty on the summaries topic. */
    public List<Span> spans = new ArrayList<>();

    public Trace() {}

    @Override
    public String toString() {
        return "Trace{" + traceId + " spans=" + spanCount + (rootMissing ? " rootMissing" : "") + (late ? " late" : "")
                + " sampled=" + sampled + " " + policy + "}";
    }
}
