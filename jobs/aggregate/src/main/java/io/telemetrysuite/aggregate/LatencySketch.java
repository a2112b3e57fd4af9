package io.telemetrysuite.aggregate;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A mergeable latency distribution: a DataSketches KLL sketch of doubles (milliseconds). Windows keep
 * one per key and coarser resolutions merge the finer windows' sketches instead of re-reading events.
 *
 * <p>Accuracy: a quantile returned for rank r has a true rank within r ± {@link #rankErrorBound(int)}
 * with 99 % confidence; for the default k = 200 that is ±1.33 %, whatever the distribution and
 * however many sketches were merged. The maximum is exact.
 *
 * <p>Flink serializes it with {@link LatencySketchTypeInfo} (the sketch's own compact bytes), never
 * with Kryo.
 */
@TypeInfo(LatencySketchTypeInfo.Factory.class)
public final class LatencySketch {
    private final KllDoublesSketch sketch;

    private LatencySketch(KllDoublesSketch sketch) {
        this.sketch = sketch;
    }

    /** An empty sketch; larger k is more accurate and larger (k = 200: about 3 KB once full). */
    public static LatencySketch create(int k) {
        return new LatencySketch(KllDoublesSketch.newHeapInstance(k));
    }

    /** Reads what {@link #toBytes()} wrote. */
    public static LatencySketch fromBytes(byte[] bytes) {
        return new LatencySketch(KllDoublesSketch.heapify(Memory.wrap(bytes)));
    }

    /** The 99 %-confidence bound on the normalized rank error of a quantile, for sketches of size k. */
    public static double rankErrorBound(int k) {
        return KllSketch.getNormalizedRankError(k, false);
    }

    /**
     * Adds one observation that stands for {@code weight} events (a sampled span's adjusted count).
     * KLL takes integer weights, so 1/p is rounded (at least 1): the percentiles are approximate anyway,
     * and counts are summed exactly elsewhere.
     */
    public void add(double value, double weight) {
        long w = Math.max(1L, Math.round(weight));
        if (w == 1L) sketch.update(value);
        else sketch.update(value, w);
    }

    public void merge(LatencySketch other) {
        if (!other.sketch.isEmpty()) sketch.merge(other.sketch);
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The value at normalized rank {@code rank} (inclusive: at least that fraction is at or below it); 0 when empty. */
    public double quantile(double rank) {
        return sketch.isEmpty() ? 0.0 : sketch.getQuantile(rank);
    }

    /** The exact maximum; 0 when empty. */
    public double max() {
        return sketch.isEmpty() ? 0.0 : sketch.getMaxItem();
    }

    /** How many (weighted) observations the sketch has seen. */
    public long n() {
        return sketch.getN();
    }

    public byte[] toBytes() {
        return sketch.toByteArray();
    }

    public LatencySketch copy() {
        return fromBytes(toBytes());
    }
}
