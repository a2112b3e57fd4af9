package io.telemetrysuite.aggregate.metrics;

import java.util.Arrays;

/**
 * Bucket arithmetic for histograms: adding and subtracting bucket counts, re-indexing exponential
 * buckets to a coarser scale, and percentiles by linear interpolation within the bucket that holds
 * the rank (as Prometheus's {@code histogram_quantile} does).
 *
 * <p>An exponential bucket {@code i} at scale {@code s} holds values in {@code (base^i, base^(i+1)]}
 * with {@code base = 2^(2^-s)}; lowering the scale by {@code d} maps index {@code i} to {@code i >> d}
 * (an arithmetic shift, so negative indices round down too), which is exact: every fine bucket lies
 * inside one coarse bucket.
 */
final class Buckets {
    private Buckets() {}

    /** Counts starting at {@code offset} at {@code fromScale}, re-indexed to the coarser {@code toScale}; returns the new offset in [0]. */
    static long[] downscale(long[] counts, int offset, int fromScale, int toScale, int[] newOffset) {
        int shift = fromScale - toScale;
        if (shift < 0) throw new IllegalArgumentException("cannot upscale from " + fromScale + " to " + toScale);
        if (counts.length == 0) {
            newOffset[0] = offset >> shift;
            return counts;
        }
        int first = offset >> shift;
        int last = (offset + counts.length - 1) >> shift;
        long[] out = new long[last - first + 1];
        for (int i = 0; i < counts.length; i++) out[((offset + i) >> shift) - first] += counts[i];
        newOffset[0] = first;
        return out;
    }

    /**
     * {@code a + sign * b} over the union of their index ranges (both at the same scale); the result's
     * offset goes to {@code newOffset[0]}. With sign −1 an entry may go negative: the caller checks.
     */
    static long[] combine(long[] a, int aOffset, long[] b, int bOffset, int sign, int[] newOffset) {
        if (b.length == 0) {
            newOffset[0] = aOffset;
            return a.clone();
        }
        if (a.length == 0) {
            newOffset[0] = bOffset;
            long[] out = b.clone();
            for (int i = 0; i < out.length; i++) out[i] *= sign;
            return out;
        }
        int first = Math.min(aOffset, bOffset);
        int end = Math.max(aOffset + a.length, bOffset + b.length);
        long[] out = new long[end - first];
        for (int i = 0; i < a.length; i++) out[aOffset - first + i] += a[i];
        for (int i = 0; i < b.length; i++) out[bOffset - first + i] += sign * b[i];
        newOffset[0] = first;
        return out;
    }

    /**
     * The OTel SDK's default bucket limit per sign. A merge keeps to it: two sources can each fit at a fine
     * scale with far-apart ranges (one around 1, one around 1000, both at scale 20) that would need
     * millions of buckets at that scale together.
     */
    static final int MAX_BUCKETS = 160;

    /**
     * The largest scale, at most {@code start}, at which buckets {@code a} (offset, length, scale) and
     * {@code b} together span at most {@link #MAX_BUCKETS} indices.
     */
    static int fittingScale(int start, int aScale, int aOffset, int aLength, int bScale, int bOffset, int bLength) {
        int target = start;
        while (target > -10 && span(target, aScale, aOffset, aLength, bScale, bOffset, bLength) > MAX_BUCKETS) target--;
        return target;
    }

    private static long span(int target, int aScale, int aOffset, int aLength, int bScale, int bOffset, int bLength) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        if (aLength > 0) {
            lo = Math.min(lo, aOffset >> (aScale - target));
            hi = Math.max(hi, (aOffset + aLength - 1) >> (aScale - target));
        }
        if (bLength > 0) {
            lo = Math.min(lo, bOffset >> (bScale - target));
            hi = Math.max(hi, (bOffset + bLength - 1) >> (bScale - target));
        }
        return lo > hi ? 0 : hi - lo + 1;
    }

    static boolean anyNegative(long[] counts) {
        for (long c : counts) if (c < 0) return true;
        return false;
    }

    static long[] add(long[] a, long[] b) {
        if (a.length == 0) return b.clone();
        long[] out = a.clone();
        for (int i = 0; i < b.length; i++) out[i] += b[i];
        return out;
    }

    /**
     * The q-quantile of explicit buckets ({@code counts.length == bounds.length + 1}): rank {@code q·total},
     * linear within bucket {@code (bounds[i-1], bounds[i]]}. The open-ended first and last buckets are closed
     * by the observed min and max when known, else by 0 (first bucket, positive bound) or the nearest bound.
     */
    static double explicitQuantile(double q, double[] bounds, long[] counts, boolean hasMin, double min, boolean hasMax, double max) {
        long total = Arrays.stream(counts).sum();
        if (total == 0 || counts.length != bounds.length + 1) return 0.0;
        double rank = q * total;
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0 || before + counts[i] < rank) {
                before += counts[i];
                continue;
            }
            double lower;
            double upper;
            if (i == 0) {
                lower = hasMin ? min : (bounds.length > 0 && bounds[0] > 0 ? 0.0 : (bounds.length > 0 ? bounds[0] : 0.0));
                upper = bounds.length > 0 ? bounds[0] : (hasMax ? max : lower);
            } else {
                lower = bounds[i - 1];
                upper = i < bounds.length ? bounds[i] : (hasMax ? Math.max(max, lower) : lower);
            }
            return lower + (upper - lower) * ((rank - before) / counts[i]);
        }
        return bounds.length > 0 ? bounds[bounds.length - 1] : 0.0;
    }

    /**
     * The q-quantile of an exponential histogram: negative buckets (most negative first), the zero bucket
     * (taken as 0), then positive buckets, linear within {@code (base^i, base^(i+1)]}.
     */
    static double exponentialQuantile(double q, int scale, long zeroCount, int positiveOffset, long[] positive,
                                      int negativeOffset, long[] negative) {
        long total = zeroCount + Arrays.stream(positive).sum() + Arrays.stream(negative).sum();
        if (total == 0) return 0.0;
        double rank = q * total;
        long before = 0;
        for (int i = negative.length - 1; i >= 0; i--) {
            if (negative[i] == 0 || before + negative[i] < rank) {
                before += negative[i];
                continue;
            }
            double lower = -lowerBoundary(negativeOffset + i + 1, scale);
            double upper = -lowerBoundary(negativeOffset + i, scale);
            return lower + (upper - lower) * ((rank - before) / negative[i]);
        }
        if (zeroCount > 0 && before + zeroCount >= rank) return 0.0;
        before += zeroCount;
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] == 0 || before + positive[i] < rank) {
                before += positive[i];
                continue;
            }
            double lower = lowerBoundary(positiveOffset + i, scale);
            double upper = lowerBoundary(positiveOffset + i + 1, scale);
            return lower + (upper - lower) * ((rank - before) / positive[i]);
        }
        return lowerBoundary(positiveOffset + positive.length, scale);
    }

    /** {@code base^index} for {@code base = 2^(2^-scale)}. */
    static double lowerBoundary(int index, int scale) {
        return Math.pow(2.0, Math.scalb((double) index, -scale));
    }
}
