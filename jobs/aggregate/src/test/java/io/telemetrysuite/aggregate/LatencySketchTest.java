package io.telemetrysuite.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The percentiles the aggregates report, against a brute-force sort of 1,000,000 values. The bound
 * asserted is ±1.5 % normalized rank: KLL with k = 200 guarantees ±1.33 % at 99 % confidence
 * ({@link LatencySketch#rankErrorBound}), so 1.5 % leaves a margin against a rare unlucky compaction.
 */
class LatencySketchTest {
    private static final int N = 1_000_000;
    private static final double RANK_TOLERANCE = 0.015;
    private static final double[] RANKS = {0.50, 0.90, 0.95, 0.99};

    static Stream<Arguments> distributions() {
        Random r = new Random(7);
        return Stream.of(
                Arguments.of("uniform 0..1000 ms", (DoubleSupplier) () -> r.nextDouble() * 1000),
                Arguments.of("normal 200 ± 30 ms", (DoubleSupplier) () -> Math.max(0, 200 + 30 * r.nextGaussian())),
                Arguments.of("log-normal (long tail)", (DoubleSupplier) () -> Math.exp(3 + 1.5 * r.nextGaussian())),
                Arguments.of("Pareto alpha 1.2 (very long tail)", (DoubleSupplier) () -> 10 / Math.pow(1 - r.nextDouble(), 1 / 1.2)),
                Arguments.of("bimodal: 95 % fast, 5 % slow", (DoubleSupplier) () -> r.nextDouble() < 0.95 ? 5 + r.nextDouble() * 5 : 2000 + r.nextDouble() * 3000));
    }

    @Test
    void theStatedBoundIsWithinTheToleranceTheTestsUse() {
        assertThat(LatencySketch.rankErrorBound(AggregateConfig.DEFAULT_KLL_K)).isLessThan(RANK_TOLERANCE).isGreaterThan(0.013);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void percentilesAreWithinTheRankBoundOfTheTruth(String name, DoubleSupplier values) {
        double[] data = new double[N];
        LatencySketch sketch = LatencySketch.create(AggregateConfig.DEFAULT_KLL_K);
        for (int i = 0; i < N; i++) {
            data[i] = values.getAsDouble();
            sketch.add(data[i], 1.0);
        }
        assertRanks(sketch, data);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void mergedSketchesKeepTheBound(String name, DoubleSupplier values) {
        double[] data = new double[N];
        LatencySketch merged = LatencySketch.create(AggregateConfig.DEFAULT_KLL_K);
        // 100 windows of 10,000 values each, as a roll-up merges them; through bytes, as Aggregate.sketch carries them.
        for (int w = 0; w < 100; w++) {
            LatencySketch window = LatencySketch.create(AggregateConfig.DEFAULT_KLL_K);
            for (int i = 0; i < 10_000; i++) {
                data[w * 10_000 + i] = values.getAsDouble();
                window.add(data[w * 10_000 + i], 1.0);
            }
            merged.merge(LatencySketch.fromBytes(window.toBytes()));
        }
        assertRanks(merged, data);
    }

    private static void assertRanks(LatencySketch sketch, double[] data) {
        Arrays.sort(data);
        assertThat(sketch.n()).isEqualTo(N);
        assertThat(sketch.max()).isEqualTo(data[N - 1]);
        for (double rank : RANKS) {
            double value = sketch.quantile(rank);
            assertThat(trueRank(data, value)).as("true rank of p%s = %s", rank * 100, value).isCloseTo(rank, within(RANK_TOLERANCE));
        }
    }

    /** The fraction of values at or below {@code value}. */
    private static double trueRank(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1;
            else hi = mid;
        }
        return (double) lo / sorted.length;
    }

    @Test
    void weightsCountAsThatManyObservations() {
        LatencySketch sketch = LatencySketch.create(AggregateConfig.DEFAULT_KLL_K);
        sketch.add(10, 1.0);
        sketch.add(20, 4.0);
        assertThat(sketch.n()).isEqualTo(5);
        assertThat(sketch.quantile(0.5)).isEqualTo(20);
    }

    @Test
    void theAccumulatorIsAPojoFlinkSerializesWithoutKryo() throws Exception {
        TypeInformation<AggregateAccumulator> info = TypeInformation.of(AggregateAccumulator.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<AggregateAccumulator> serializer = info.createSerializer(config);

        AggregateAccumulator acc = AggregateAccumulator.empty(AggregateConfig.DEFAULT_KLL_K);
        for (int i = 1; i <= 1000; i++) {
            Observation o = new Observation();
            o.signal = Observation.SPAN;
            o.serviceName = "checkout";
            o.hasLatency = true;
            o.latencyMs = i;
            acc.add(o);
        }
        DataOutputSerializer out = new DataOutputSerializer(4096);
        serializer.serialize(acc, out);
        AggregateAccumulator copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.count).isEqualTo(1000);
        assertThat(copy.serviceName).isEqualTo("checkout");
        assertThat(copy.latency.toBytes()).isEqualTo(acc.latency.toBytes());
        assertThat(serializer.copy(acc).latency.toBytes()).isEqualTo(acc.latency.toBytes());
    }
}
