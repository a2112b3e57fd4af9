package io.telemetrysuite.ingest.sink;

import io.telemetrysuite.json.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes events as JSON lines to one named file: the output of {@code ./telemetry run}, whose file
 * names are a contract. Used with parallelism 1 in bounded runs only; a streaming job writes Kafka
 * (exactly once) and Parquet instead.
 */
public class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String file;

    public JsonLinesFileSink(Path file) {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("JsonLinesFileSink writes one file and must run with parallelism 1");
        }
        Path path = Paths.get(file);
        Files.createDirectories(path.getParent());
        return new Writer<>(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;

        Writer(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(T element, Context context) {
            try {
                out.write(EventJson.toLine(element));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
