package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;
import java.util.List;

/**
 * One trace as the policies see it when its decision is made: its id, the spans received so far (in
 * arrival order) and the decision time in event time. The trace id's bytes and the trace's estimated
 * size are computed once, on first use, because most policies need neither.
 */
public final class TraceData {
    private final String traceId;
    private final List<Span> spans;
    private final long nowMillis;
    private byte[] traceIdBytes;
    private long sizeBytes = -1;

    public TraceData(String traceId, List<Span> spans, long nowMillis) {
        this.traceId = traceId;
        this.spans = spans;
        this.nowMillis = nowMillis;
    }

    public String traceId() {
        return traceId;
    }

    public List<Span> spans() {
        return spans;
    }

    /** The Collector's {@code TraceData.SpanCount}: every span received for the trace. */
    public long spanCount() {
        return spans.size();
    }

    /** The decision time in event-time milliseconds; the rate-limiting policies' clock. */
    public long nowMillis() {
        return nowMillis;
    }

    /** The 16 bytes of the hex trace id; an id that is not 32 hex characters gives all zero bytes. */
    public byte[] traceIdBytes() {
        if (traceIdBytes == null) traceIdBytes = TraceIds.toBytes(traceId);
        return traceIdBytes;
    }

    /** The trace's size as {@code bytes_limiting} counts it (see {@link TraceSizes}). */
    public long sizeBytes() {
        if (sizeBytes < 0) sizeBytes = TraceSizes.estimate(spans);
        return sizeBytes;
    }
}
