package io.telemetrysuite.testing;

import io.telemetrysuite.model.Span;
import java.util.Random;

/** Spans for tests: valid, minimal, with the fields the pipeline decides on. */
public final class TestSpans {
    /** 2026-11-23T00:00:00Z, a fixed epoch so event times in tests read as offsets. */
    public static final long T0_NANOS = 1_795_392_000_000_000_000L;
    public static final long MS = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;

    private TestSpans() {}

    public static Span span(String traceId, String spanId, String service, long startNanos, long durationNanos, boolean error) {
        Span span = new Span();
        span.traceId = traceId;
        span.spanId = spanId;
        span.name = "GET /items";
        span.kind = "SERVER";
        span.serviceName = service;
        span.resourceAttributes.put("service.name", service);
        span.startTimeUnixNano = startNanos;
        span.endTimeUnixNano = startNanos + durationNanos;
        span.statusCode = error ? "ERROR" : "UNSET";
        return span;
    }

    /** A random, valid 32-hex-character trace id. */
    public static String traceId(Random random) {
        return hex(random.nextLong()) + hex(random.nextLong() | 1L);
    }

    /** A random, valid 16-hex-character span id. */
    public static String spanId(Random random) {
        return hex(random.nextLong() | 1L);
    }

    private static String hex(long value) {
        String s = Long.toHexString(value);
        return "0".repeat(16 - s.length()) + s;
    }
}
