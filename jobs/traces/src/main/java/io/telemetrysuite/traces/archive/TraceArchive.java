package io.telemetrysuite.traces.archive;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.reflect.ReflectData;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The Parquet archive of kept traces: one row per span ({@link ArchivedSpan}) with the trace's
 * decision and policy, Flink's {@link FileSink} with its bulk Parquet writer, partitioned by the UTC
 * date and hour of the trace's start:
 *
 * <pre>
 *   baseDir/date=2026-11-23/hour=14/part-&lt;uuid&gt;-&lt;subtask&gt;-&lt;n&gt;.parquet
 * </pre>
 *
 * <p>Part files roll on every checkpoint and become visible only when it completes, so each span is
 * archived exactly once, and only with checkpointing on (or at the end of a bounded job).
 */
public final class TraceArchive {
    public static final String PART_PREFIX = "part";
    public static final String PART_SUFFIX = ".parquet";
    public static final Schema SCHEMA = schema();

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private TraceArchive() {}

    /** Splits kept traces into span rows and archives them under {@code baseDir}. */
    public static void attach(DataStream<Trace> keptTraces, Path baseDir) {
        keptTraces.flatMap(new ToRows()).returns(ArchivedSpan.class).uid("traces-archive-rows").name("Spans of kept traces")
                .sinkTo(sink(baseDir)).uid("traces-sink-archive").name("Parquet archive");
    }

    public static FileSink<ArchivedSpan> sink(Path baseDir) {
        ParquetBuilder<ArchivedSpan> builder = out -> AvroParquetWriter.<ArchivedSpan>builder(out)
                .withSchema(SCHEMA)
                .withDataModel(ReflectData.get())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
        return FileSink.forBulkFormat(new org.apache.flink.core.fs.Path(baseDir.toAbsolutePath().toUri()), new ParquetWriterFactory<>(builder))
                .withBucketAssigner(new HourPartitions())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PART_PREFIX).withPartSuffix(PART_SUFFIX).build())
                .build();
    }

    /** {@code date=<yyyy-MM-dd>/hour=<HH>} of an epoch-nanosecond time, UTC. */
    public static String partition(long epochNanos) {
        Instant t = Instant.ofEpochMilli(epochNanos / 1_000_000L);
        return "date=" + DATE.format(t) + "/hour=" + HOUR.format(t);
    }

    static final class ToRows implements FlatMapFunction<Trace, ArchivedSpan> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(Trace trace, Collector<ArchivedSpan> out) {
            for (Span span : trace.spans) out.collect(ArchivedSpan.of(trace, span));
        }
    }

    static final class HourPartitions implements BucketAssigner<ArchivedSpan, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(ArchivedSpan row, Context context) {
            return partition(row.traceStartTimeUnixNano);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /** One Avro field per public field of {@link ArchivedSpan}; reference types nullable so a null never fails a write. */
    private static Schema schema() {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("ArchivedSpan").namespace("io.telemetrysuite.traces.archive")
                .doc("A span of a kept trace with the trace's decision (io.telemetrysuite.traces.archive.ArchivedSpan).").fields();
        for (Field field : ArchivedSpan.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            Class<?> type = field.getType();
            String name = field.getName();
            if (type == long.class) fields = fields.requiredLong(name);
            else if (type == boolean.class) fields = fields.requiredBoolean(name);
            else if (type == String.class) fields = fields.optionalString(name);
            else if (java.util.Map.class.isAssignableFrom(type)) fields = fields.name(name).type().optional().map().values().stringType();
            else throw new IllegalStateException("ArchivedSpan." + name + ": no Parquet mapping for " + type);
        }
        return fields.endRecord();
    }
}
