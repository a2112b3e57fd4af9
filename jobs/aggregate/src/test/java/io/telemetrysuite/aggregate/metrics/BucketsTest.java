package io.telemetrysuite.aggregate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Percentiles from merged buckets against a brute-force sort of the same values: the estimate must lie
 * within the width of the bucket holding the true value, for several distributions; and merging at the
 * smaller scale gives the same buckets as recording everything at that scale.
 */
class BucketsTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final int N = 200_000;

    private static double[] sample(DoubleSupplier distribution) {
        double[] values = new double[N];
        for (int i = 0; i < N; i++) values[i] = distribution.getAsDouble();
        return values;
    }

    @Test
    void explicitBucketPercentilesLieInTheBucketOfTheTrueValue() {
        Random random = new Random(11);
        double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
        for (DoubleSupplier d : new DoubleSupplier[] {
                () -> random.nextDouble() * 9.9,                           // uniform
                () -> Math.exp(-3 + random.nextGaussian()),                // log-normal
                () -> Math.min(9.99, 0.01 / Math.pow(random.nextDouble(), 1.5)) // long tail (Pareto), capped inside the last finite bucket
        }) {
            double[] values = sample(d);
            // Two "sources" with half the values each, merged by adding counts.
            long[] merged = Buckets.add(explicit(Arrays.copyOfRange(values, 0, N / 2), bounds), explicit(Arrays.copyOfRange(values, N / 2, N), bounds));
            double min = Arrays.stream(values).min().orElseThrow();
            double max = Arrays.stream(values).max().orElseThrow();
            for (double q : QUANTILES) {
                double truth = MetricAggregationTest.bruteForce(values, q);
                int i = 0;
                while (i < bounds.length && truth > bounds[i]) i++;
                double lower = i == 0 ? min : bounds[i - 1];
                double upper = i == bounds.length ? max : bounds[i];
                double estimate = Buckets.explicitQuantile(q, bounds, merged, true, min, true, max);
                assertThat(estimate).as("q=%s", q).isBetween(lower, upper);
            }
        }
    }

    @Test
    void exponentialPercentilesWithinTheBucketWidthAfterMergingTwoScales() {
        Random random = new Random(5);
        for (DoubleSupplier d : new DoubleSupplier[] {
                () -> 1 + random.nextDouble() * 99,
                () -> Math.exp(random.nextGaussian()),
                () -> 1 / Math.pow(random.nextDouble(), 2)}) {                 // long tail: merged below scale 2
            double[] values = sample(d);
            MetricAccumulator a = exponential(Arrays.copyOfRange(values, 0, N / 2), 4);
            MetricAccumulator b = exponential(Arrays.copyOfRange(values, N / 2, N), 2);
            a.merge(b);
            // The smaller scale, or lower where the long tail would need more than 160 buckets.
            assertThat(a.scale).isLessThanOrEqualTo(2);
            assertThat(a.positiveCounts.length).isLessThanOrEqualTo(Buckets.MAX_BUCKETS);
            int scale = a.scale;
            MetricAccumulator direct = exponential(values, scale);
            assertThat(a.positiveOffset).isEqualTo(direct.positiveOffset);
            assertThat(a.positiveCounts).isEqualTo(direct.positiveCounts);
            for (double q : QUANTILES) {
                double truth = MetricAggregationTest.bruteForce(values, q);
                int index = MetricAggregationTest.exponentialIndex(truth, scale);
                double width = Buckets.lowerBoundary(index + 1, scale) - Buckets.lowerBoundary(index, scale);
                assertThat(a.quantile(q)).as("q=%s", q).isCloseTo(truth, within(width));
            }
        }
    }

    @Test
    void farApartSourcesAtAFineScaleMergeWithinTheBucketLimit() {
        // Each source alone fits 160 buckets at scale 20; together, at scale 20, they would need about ten million.
        double[] low = new double[1000];
        double[] high = new double[1000];
        for (int i = 0; i < 1000; i++) {
            low[i] = 1.0 + i * 1e-7;
            high[i] = 1000.0 + i * 1e-4;
        }
        MetricAccumulator a = exponential(low, 20);
        MetricAccumulator b = exponential(high, 20);
        assertThat(a.positiveCounts.length).isLessThanOrEqualTo(160);
        assertThat(b.positiveCounts.length).isLessThanOrEqualTo(160);
        a.merge(b);
        assertThat(a.positiveCounts.length).isLessThanOrEqualTo(Buckets.MAX_BUCKETS);
        // The highest scale that fits: one more would not.
        MetricAccumulator direct = exponential(concat(low, high), a.scale);
        assertThat(a.positiveCounts).isEqualTo(direct.positiveCounts);
        assertThat(exponential(concat(low, high), a.scale + 1).positiveCounts.length).isGreaterThan(Buckets.MAX_BUCKETS);
        assertThat(Arrays.stream(a.positiveCounts).sum()).isEqualTo(2000);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void downscalingMapsEachBucketIntoTheCoarserBucketThatContainsIt() {
        int[] offset = new int[1];
        // Scale 2, indices -3..2 → scale 0: -3,-2,-1 → -1; 0,1,2 → 0.
        long[] coarse = Buckets.downscale(new long[] {1, 2, 3, 4, 5, 6}, -3, 2, 0, offset);
        assertThat(offset[0]).isEqualTo(-1);
        assertThat(coarse).containsExactly(6, 15);
    }

    private static long[] explicit(double[] values, double[] bounds) {
        long[] counts = new long[bounds.length + 1];
        for (double v : values) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) i++;
            counts[i]++;
        }
        return counts;
    }

    private static MetricAccumulator exponential(double[] values, int scale) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        int[] idx = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            idx[i] = MetricAggregationTest.exponentialIndex(values[i], scale);
            lo = Math.min(lo, idx[i]);
            hi = Math.max(hi, idx[i]);
        }
        MetricAccumulator acc = new MetricAccumulator();
        acc.metricType = "EXPONENTIAL_HISTOGRAM";
        acc.points = 1;
        acc.scale = scale;
        acc.positiveOffset = lo;
        acc.positiveCounts = new long[hi - lo + 1];
        for (int i : idx) acc.positiveCounts[i - lo]++;
        acc.count = values.length;
        return acc;
    }
}
