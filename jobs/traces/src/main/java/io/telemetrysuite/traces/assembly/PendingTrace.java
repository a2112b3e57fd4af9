package io.telemetrysuite.traces.assembly;

/** Keyed state of a trace (or late fragment) being assembled: its deadlines and what its bounds counted. A Flink POJO. */
public class PendingTrace {
    /** Event time (ms) at which the trace is decided; moved earlier when the root arrives and decision_wait_after_root_received is set. */
    public long eventDeadline;
    /** Wall-clock time (ms) at which it is decided whatever the watermark: the processing-time bound. */
    public long processingDeadline;
    /** The largest span event time seen, the decision time when the processing-time bound decides. */
    public long maxEventMillis = Long.MIN_VALUE;
    public int heldSpans;
    public long heldBytes;
    public int droppedSpans;
    /** Spans arriving after the decision: decided with the cached decision, emitted as a late fragment. */
    public boolean late;
    /** For a late fragment, the cached decision read when its first span arrived, so deciding it reads no cache again. */
    public boolean lateSampled;
    /** For a late fragment, the cached decision's policy; null otherwise. */
    public String latePolicy;
    public boolean rootSeen;

    public PendingTrace() {}
}
