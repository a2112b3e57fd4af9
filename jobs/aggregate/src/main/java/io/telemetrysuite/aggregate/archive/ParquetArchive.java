package io.telemetrysuite.aggregate.archive;

import io.telemetrysuite.model.Aggregate;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.reflect.ReflectData;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The Parquet archive of aggregates: Flink's {@link FileSink} with its bulk Parquet writer, one folder
 * per signal and UTC hour of the window start:
 *
 * <pre>
 *   baseDir/signal=span/date=2026-11-23/hour=14/part-&lt;uuid&gt;-&lt;subtask&gt;-&lt;n&gt;.parquet
 * </pre>
 *
 * <p>Bulk formats roll on every checkpoint: a part file becomes visible (renamed from its hidden
 * {@code .part-…inprogress…} name) only when the checkpoint that covers it completes, so the archive
 * holds each aggregate exactly once, and only with checkpointing on (or at the end of a bounded job).
 *
 * <p>The schema is {@link #SCHEMA}, written from the {@link Aggregate} POJO through Avro reflection
 * with an explicit schema (every reference field nullable, the same field names as the POJO), so no
 * Avro classes are generated and Flink still sees {@code Aggregate} as a POJO (no Kryo).
 */
public final class ParquetArchive {
    /** Part files end with this; in-progress and pending ones are hidden (their names start with '.'). */
    public static final String PART_SUFFIX = ".parquet";
    public static final String PART_PREFIX = "part";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    /** The archive's Avro schema: record {@code io.telemetrysuite.model.Aggregate}, one field per public field of the POJO. */
    public static final Schema SCHEMA = schema();

    private ParquetArchive() {}

    /** The sink: give the stream of aggregates to {@code sinkTo}; the job must checkpoint for files to be committed. */
    public static FileSink<Aggregate> sink(Path baseDir) {
        return FileSink.forBulkFormat(new org.apache.flink.core.fs.Path(baseDir.toAbsolutePath().toUri()), writerFactory())
                .withBucketAssigner(new HourPartitions())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PART_PREFIX).withPartSuffix(PART_SUFFIX).build())
                .build();
    }

    /** Writes {@link Aggregate}s with {@link #SCHEMA}, snappy-compressed. */
    public static ParquetWriterFactory<Aggregate> writerFactory() {
        ParquetBuilder<Aggregate> builder = out -> {
            ParquetWriter<Aggregate> writer = AvroParquetWriter.<Aggregate>builder(out)
                    .withSchema(SCHEMA)
                    .withDataModel(ReflectData.get())
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .build();
            return writer;
        };
        return new ParquetWriterFactory<>(builder);
    }

    /** The partition of an aggregate, relative to the archive's folder: {@code signal=<signal>/date=<yyyy-MM-dd>/hour=<HH>}. */
    public static String partition(Aggregate aggregate) {
        return partition(aggregate.signal, aggregate.windowStart);
    }

    /** As {@link #partition(Aggregate)}, for a signal and a window start in epoch milliseconds (UTC). */
    public static String partition(String signal, long windowStartMillis) {
        Instant start = Instant.ofEpochMilli(windowStartMillis);
        return "signal=" + safe(signal) + "/date=" + DATE.format(start) + "/hour=" + HOUR.format(start);
    }

    /** A signal as a folder name: anything but letters, digits, '-' and '_' becomes '_'; none at all is {@code unknown}. */
    static String safe(String signal) {
        if (signal == null || signal.isEmpty()) return "unknown";
        return signal.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** Buckets by {@link #partition(Aggregate)}. */
    static final class HourPartitions implements BucketAssigner<Aggregate, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(Aggregate aggregate, Context context) {
            return partition(aggregate);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /**
     * One Avro field per public instance field of {@link Aggregate}, in declaration order: primitives as
     * themselves, strings, maps, arrays and bytes nullable (default null) so a field left null never fails a write.
     */
    private static Schema schema() {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Aggregate").namespace("io.telemetrysuite.model")
                .doc("One window's aggregate for one key at one resolution (io.telemetrysuite.model.Aggregate).").fields();
        for (Field field : publicFields()) {
            Class<?> type = field.getType();
            String name = field.getName();
            if (type == long.class) fields = fields.requiredLong(name);
            else if (type == double.class) fields = fields.requiredDouble(name);
            else if (type == boolean.class) fields = fields.requiredBoolean(name);
            else if (type == int.class) fields = fields.requiredInt(name);
            else if (type == String.class) fields = fields.optionalString(name);
            else if (type == byte[].class) fields = fields.optionalBytes(name);
            else if (type == double[].class) fields = fields.name(name).type().optional().array().items().doubleType();
            else if (type == long[].class) fields = fields.name(name).type().optional().array().items().longType();
            else if (java.util.Map.class.isAssignableFrom(type)) fields = fields.name(name).type().optional().map().values().stringType();
            else throw new IllegalStateException("Aggregate." + name + ": no Parquet archive mapping for " + type);
        }
        return fields.endRecord();
    }

    /** The fields the archive writes: every public, non-static field of {@link Aggregate}. */
    static List<Field> publicFields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : Aggregate.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) fields.add(field);
        }
        return fields;
    }
}
