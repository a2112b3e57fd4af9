package io.telemetrysuite.generator;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running counts of what a {@link SyntheticWorkload} produced, so tests and benchmarks can assert
 * exact expectations (for example: the ingest job must accept exactly {@link #spans} spans and
 * dead-letter one record per malformed record). Malformed records are counted only under
 * {@link #malformed}, never as valid items.
 */
public final class GenerationStats {
    /** Valid traces and their spans. */
    public long traces;
    public long spans;
    /** Traces whose root span has status ERROR. */
    public long errorTraces;
    /** Traces whose root span is slower than its route's slow threshold. */
    public long slowTraces;
    public long logRecords;
    public long metricDataPoints;
    public long workloadRecords;
    public long systemSamples;
    public long inferenceSamples;
    /** Valid messages per topic. */
    public final Map<String, Long> messagesByTopic = new TreeMap<>();
    public final Map<MalformedKind, Long> malformed = new EnumMap<>(MalformedKind.class);

    void countMessage(String topic) {
        messagesByTopic.merge(topic, 1L, Long::sum);
    }

    void countMalformed(MalformedKind kind) {
        malformed.merge(kind, 1L, Long::sum);
    }

    public long messages(String topic) {
        return messagesByTopic.getOrDefault(topic, 0L);
    }

    public long malformed(MalformedKind kind) {
        return malformed.getOrDefault(kind, 0L);
    }

    public long malformedTotal() {
        long n = 0;
        for (long v : malformed.values()) n += v;
        return n;
    }

    @Override
    public String toString() {
        return "GenerationStats{traces=" + traces + " spans=" + spans + " errorTraces=" + errorTraces
                + " slowTraces=" + slowTraces + " logs=" + logRecords + " metricPoints=" + metricDataPoints
                + " workload=" + workloadRecords + " system=" + systemSamples + " inference=" + inferenceSamples
                + " messages=" + messagesByTopic + " malformed=" + malformed + "}";
    }
}
