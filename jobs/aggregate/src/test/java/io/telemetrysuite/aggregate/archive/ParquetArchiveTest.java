package io.telemetrysuite.aggregate.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Aggregate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive sink on a MiniCluster at parallelism 2, checkpointing every 200 ms, generic types off:
 * every aggregate lands exactly once, in its signal/date/hour folder, in committed .parquet files only.
 */
class ParquetArchiveTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** 2026-11-22T22:00Z: hours 22 and 23 of one day, 00 and 01 of the next. */
    private static final long BASE = Instant.parse("2026-11-22T22:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final String[] SIGNALS = {"span", "system"};
    private static final int COUNT = 120;

    @TempDir Path dir;

    /** Aggregate number i: signal i % 2, hour (i / 2) % 4 after BASE, a 10 s window inside it, count i, a unique key. */
    static Aggregate sample(long i) {
        Aggregate a = new Aggregate();
        a.resolution = "10s";
        a.signal = SIGNALS[(int) (i % 2)];
        a.windowStart = BASE + ((i / 2) % 4) * HOUR + (i % 360) * 10_000L;
        a.windowEnd = a.windowStart + 10_000L;
        if (a.signal.equals("span")) {
            a.serviceName = "svc-" + i;
            a.spanName = "GET /items";
        } else {
            a.host = "host-" + i;
        }
        a.count = i;
        a.errorCount = i % 3;
        a.p99Ms = i * 1.5;
        a.labels.put("index", Long.toString(i));
        a.bucketBounds = new double[] {1.0, 10.0, i};
        a.bucketCounts = new long[] {i, 2 * i};
        a.sketch = new byte[] {(byte) i, 7};
        a.update = i % 5 == 0;
        return a;
    }

    @Test
    void everyAggregateIsArchivedOnceInItsPartitionInCommittedParquetFiles() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        env.enableCheckpointing(200);
        // About 2 s of input, so files roll on several checkpoints before the final one.
        DataGeneratorSource<Aggregate> source = new DataGeneratorSource<>(ParquetArchiveTest::sample, COUNT,
                RateLimiterStrategy.perSecond(60), TypeInformation.of(Aggregate.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "aggregates")
                .sinkTo(ParquetArchive.sink(dir)).name("Parquet archive");
        env.execute("parquet archive test");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).allSatisfy(f -> {
            assertThat(f.getFileName().toString()).startsWith("part-").endsWith(".parquet");
        });
        Map<String, Double> seen = new HashMap<>();
        Set<String> partitions = new HashSet<>();
        for (Path file : files) {
            String partition = dir.relativize(file.getParent()).toString().replace('\\', '/');
            partitions.add(partition);
            for (GenericRecord record : read(file)) {
                String key = record.get("signal") + "|" + record.get("serviceName") + record.get("host");
                assertThat(seen.put(key, (Double) record.get("count"))).as("seen once: " + key).isNull();
                assertThat(partition).isEqualTo(ParquetArchive.partition(record.get("signal").toString(), (Long) record.get("windowStart")));
            }
        }
        Map<String, Double> expected = new HashMap<>();
        for (long i = 0; i < COUNT; i++) {
            Aggregate a = sample(i);
            expected.put(a.signal + "|" + a.serviceName + a.host, a.count);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(partitions).containsExactlyInAnyOrder(
                "signal=span/date=2026-11-22/hour=22", "signal=span/date=2026-11-22/hour=23",
                "signal=span/date=2026-11-23/hour=00", "signal=span/date=2026-11-23/hour=01",
                "signal=system/date=2026-11-22/hour=22", "signal=system/date=2026-11-22/hour=23",
                "signal=system/date=2026-11-23/hour=00", "signal=system/date=2026-11-23/hour=01");
        // Rolled on more than the final checkpoint: more part files than partitions x subtasks would need.
        assertThat(files.size()).isGreaterThan(partitions.size());
    }

    @Test
    void everyFieldRoundTrips(@TempDir Path out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(1);
        env.enableCheckpointing(200);
        Aggregate a = sample(7);
        Aggregate blank = new Aggregate(); // null resolution: nullable fields take it
        blank.signal = "inference";
        env.fromData(TypeInformation.of(Aggregate.class), a, blank).sinkTo(ParquetArchive.sink(out));
        env.execute("round trip");
        List<GenericRecord> records = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) records.addAll(read(f));
        }
        assertThat(records).hasSize(2);
        GenericRecord r = records.stream().filter(x -> x.get("signal").toString().equals("system")).findFirst().orElseThrow();
        assertThat(r.get("host").toString()).isEqualTo("host-7");
        assertThat(r.get("resolution").toString()).isEqualTo("10s");
        assertThat(r.get("windowStart")).isEqualTo(a.windowStart);
        assertThat(r.get("count")).isEqualTo(7.0);
        assertThat(r.get("p99Ms")).isEqualTo(10.5);
        assertThat(r.get("update")).isEqualTo(false);
        assertThat(((Map<?, ?>) r.get("labels")).toString()).isEqualTo("{index=7}");
        assertThat(r.get("bucketBounds").toString()).isEqualTo("[1.0, 10.0, 7.0]");
        assertThat(r.get("bucketCounts").toString()).isEqualTo("[7, 14]");
        ByteBuffer sketch = (ByteBuffer) r.get("sketch");
        assertThat(sketch.remaining()).isEqualTo(2);
        assertThat(sketch.get(0)).isEqualTo((byte) 7);
        GenericRecord b = records.stream().filter(x -> x.get("signal").toString().equals("inference")).findFirst().orElseThrow();
        assertThat(b.get("resolution")).isNull();
        assertThat(ParquetArchive.SCHEMA.getFields()).hasSize(ParquetArchive.publicFields().size());
    }

    @Test
    void metricPointFieldsRoundTrip(@TempDir Path out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(1);
        env.enableCheckpointing(200);
        Aggregate a = new Aggregate();
        a.resolution = "1m";
        a.signal = "metric";
        a.windowStart = BASE;
        a.windowEnd = BASE + 60_000L;
        a.metricName = "gen_ai.server.time_to_first_token";
        a.metricType = "EXPONENTIAL_HISTOGRAM";
        a.unit = "s";
        a.count = 5;
        a.sum = 24;
        a.ratePerSecond = 5 / 60.0;
        a.hasMinMax = true;
        a.min = 2.5;
        a.max = 7;
        a.p50 = 4.5;
        a.p90 = 6.1;
        a.p95 = 6.5;
        a.p99 = 6.9;
        a.scale = 1;
        a.zeroCount = 2;
        a.zeroThreshold = 1e-9;
        a.positiveOffset = 2;
        a.positiveBucketCounts = new long[] {1, 1, 1, 2};
        a.negativeOffset = -3;
        a.negativeBucketCounts = new long[] {4};
        env.fromData(TypeInformation.of(Aggregate.class), a).sinkTo(ParquetArchive.sink(out));
        env.execute("metric round trip");
        List<GenericRecord> records = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                assertThat(out.relativize(f.getParent()).toString().replace('\\', '/')).isEqualTo("signal=metric/date=2026-11-22/hour=22");
                records.addAll(read(f));
            }
        }
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.get("metricName").toString()).isEqualTo("gen_ai.server.time_to_first_token");
            assertThat(r.get("metricType").toString()).isEqualTo("EXPONENTIAL_HISTOGRAM");
            assertThat(r.get("unit").toString()).isEqualTo("s");
            assertThat(new Object[] {r.get("count"), r.get("sum"), r.get("hasMinMax"), r.get("min"), r.get("max")})
                    .containsExactly(5.0, 24.0, true, 2.5, 7.0);
            assertThat(new Object[] {r.get("p50"), r.get("p90"), r.get("p95"), r.get("p99")}).containsExactly(4.5, 6.1, 6.5, 6.9);
            assertThat(new Object[] {r.get("scale"), r.get("zeroCount"), r.get("zeroThreshold"), r.get("positiveOffset"), r.get("negativeOffset")})
                    .containsExactly(1, 2L, 1e-9, 2, -3);
            assertThat(r.get("positiveBucketCounts").toString()).isEqualTo("[1, 1, 1, 2]");
            assertThat(r.get("negativeBucketCounts").toString()).isEqualTo("[4]");
        });
    }

    static List<GenericRecord> read(Path file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) records.add(r);
        }
        return records;
    }
}
