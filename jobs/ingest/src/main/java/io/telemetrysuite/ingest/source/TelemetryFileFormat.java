package io.telemetrysuite.ingest.source;

import io.telemetrysuite.model.RawRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads the files the OpenTelemetry Collector and the suite write into {@link RawRecord}s, keeping
 * the file and line each record came from so a dead letter can point at it.
 *
 * <ul>
 *   <li>{@code *.pb}: the whole file is one protobuf export request. Protobuf bytes do not say which
 *       signal they hold (the three export requests share their field numbers), so the name does: a
 *       name containing {@code metrics} holds metrics, {@code logs} logs, anything else traces;
 *   <li>anything else ({@code *.jsonl}, {@code *.json}): one JSON object per line, blank lines skipped.
 * </ul>
 *
 * <p>Why a {@link BulkFormat} and not a {@code StreamFormat}: only a bulk format sees the split's
 * path. Files are never split, and a restored reader re-reads its file from the start and skips the
 * records already emitted, so line numbers stay exact across restarts.
 */
public class TelemetryFileFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_SIZE = 512;

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(split, 0);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new FileReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    static boolean isWholeFileProtobuf(Path path) {
        return path.getName().toLowerCase(Locale.ROOT).endsWith(".pb");
    }

    /** The signal of a {@code .pb} file, from its name. */
    static String protobufEncodingOf(Path path) {
        String name = path.getName().toLowerCase(Locale.ROOT);
        if (name.contains("metrics")) return RawRecord.Encoding.OTLP_PROTO_METRICS;
        if (name.contains("logs")) return RawRecord.Encoding.OTLP_PROTO_LOGS;
        return RawRecord.Encoding.OTLP_PROTO_TRACES;
    }

    private static final class FileReader implements BulkFormat.Reader<RawRecord> {
        private final String origin;
        private final boolean wholeFile;
        private final String protobufEncoding;
        private final long modificationTime;
        private final InputStream in;
        private long recordsEmitted;
        private long line;
        private boolean done;

        FileReader(FileSourceSplit split, long recordsToSkip) throws IOException {
            Path path = split.path();
            this.origin = path.getPath();
            this.wholeFile = isWholeFileProtobuf(path);
            this.protobufEncoding = protobufEncodingOf(path);
            this.modificationTime = split.fileModificationTime();
            FSDataInputStream stream = path.getFileSystem().open(path);
            this.in = new BufferedInputStream(stream, 1 << 16);
            for (long i = 0; i < recordsToSkip && !done; i++) {
                readOne();
            }
        }

        @Nullable
        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            if (done) return null;
            RawRecord[] batch = new RawRecord[BATCH_SIZE];
            int n = 0;
            long skipBefore = recordsEmitted;
            while (n < BATCH_SIZE) {
                RawRecord record = readOne();
                if (record == null) break;
                batch[n++] = record;
            }
            if (n == 0) return null;
            ArrayResultIterator<RawRecord> iterator = new ArrayResultIterator<>();
            // Position: no byte offset (we always restart at the file's beginning), count of records.
            iterator.set(n == BATCH_SIZE ? batch : Arrays.copyOf(batch, n), n, CheckpointedPosition.NO_OFFSET, skipBefore);
            return iterator;
        }

        /** Reads the next record, or null at the end of the file. */
        @Nullable
        private RawRecord readOne() throws IOException {
            if (done) return null;
            if (wholeFile) {
                done = true;
                recordsEmitted++;
                return new RawRecord(in.readAllBytes(), origin, -1, 0, protobufEncoding, modificationTime);
            }
            while (true) {
                byte[] bytes = readLine();
                if (bytes == null) {
                    done = true;
                    return null;
                }
                line++;
                if (isBlank(bytes)) continue;
                recordsEmitted++;
                return new RawRecord(bytes, origin, -1, line, RawRecord.Encoding.JSON, modificationTime);
            }
        }

        private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(4096);

        @Nullable
        private byte[] readLine() throws IOException {
            lineBuffer.reset();
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') break;
                lineBuffer.write(b);
            }
            if (!any) return null;
            int size = lineBuffer.size();
            byte[] bytes = lineBuffer.toByteArray();
            // Tolerate CRLF files.
            return size > 0 && bytes[size - 1] == '\r' ? Arrays.copyOf(bytes, size - 1) : bytes;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') return false;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
