package io.telemetrysuite.prometheus;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A Flink sink (Sink V2) that writes samples to Prometheus over remote write 1.0, for jobs whose
 * results are metrics (the aggregate job's windowed aggregates). There is no Flink Prometheus
 * connector for Flink 2.x on Maven Central (checked 2026-11), hence this one.
 *
 * <pre>{@code
 * stream.sinkTo(PrometheusSink.<Aggregate>builder()
 *         .url("http://prometheus:9090/api/v1/write")
 *         .mapper(a -> List.of(PrometheusSample.of("requests_total", Map.of("service", a.service()), a.count(), a.windowEnd())))
 *         .build());
 * }</pre>
 *
 * <p>Delivery is at least once and the sink never fails the job because Prometheus is unreachable:
 * <ul>
 *   <li>samples are buffered and sent in batches of at most {@link Builder#maxBatchSamples}, when a
 *       batch is full, every {@link Builder#flushInterval} and at every checkpoint;</li>
 *   <li>a {@link io.telemetrysuite.sink.CircuitBreaker} guards the calls: after
 *       {@link Builder#failureThreshold} failed requests in a row (connection refused, timeout, 5xx,
 *       429) it stops calling Prometheus for {@link Builder#initialRetryDelay}, doubling after every
 *       failed probe up to {@link Builder#maxRetryDelay}, indefinitely;</li>
 *   <li>what is still unsent at a checkpoint goes into the writer's state, so a restore re-sends it
 *       instead of losing it (the checkpoint does not wait for Prometheus);</li>
 *   <li>at most {@link Builder#maxBufferedSamples} samples wait: beyond that the oldest are dropped
 *       and counted ({@code samplesOverflowed}), so a long outage can neither exhaust the heap nor,
 *       by blocking the task, fail its checkpoints;</li>
 *   <li>at the end of a bounded input the writer waits until everything is delivered.</li>
 * </ul>
 * Requests Prometheus rejects for good (4xx other than 429, e.g. samples older than its
 * out-of-order window) are split to isolate the bad samples; those are dropped and counted, the rest
 * are delivered.
 *
 * <p>Metrics, in the writer's group {@code prometheusSink}: counters {@code samplesSent},
 * {@code samplesDropped} (rejected for good), {@code samplesOverflowed} (dropped from a full buffer),
 * {@code requestsSent}, {@code failedAttempts} (requests that failed and will be retried),
 * {@code retries} (requests sent while the previous one had failed); gauges {@code samplesBuffered}
 * and the breaker's {@code breakerState} (0 closed, 1 half-open, 2 open), {@code breakerOpenings},
 * {@code breakerBackoffMillis}. Flink's standard {@code numRecordsSend} counts samples too.
 *
 * @param <T> the elements the mapper turns into samples
 */
public final class PrometheusSink<T> implements Sink<T>, SupportsWriterState<T, PrometheusSample> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final SerializableFunction<T, List<PrometheusSample>> mapper;
    private final int maxBatchSamples;
    private final int maxBufferedSamples;
    private final Duration flushInterval;
    private final int failureThreshold;
    private final Duration initialRetryDelay;
    private final Duration maxRetryDelay;
    private final Duration requestTimeout;

    private PrometheusSink(Builder<T> b) {
        this.url = Objects.requireNonNull(b.url, "url: the Prometheus remote-write endpoint, e.g. http://127.0.0.1:9090/api/v1/write");
        this.mapper = Objects.requireNonNull(b.mapper, "mapper: how an element becomes samples");
        this.maxBatchSamples = b.maxBatchSamples;
        this.maxBufferedSamples = Math.max(b.maxBufferedSamples, b.maxBatchSamples);
        this.flushInterval = b.flushInterval;
        this.failureThreshold = b.failureThreshold;
        this.initialRetryDelay = b.initialRetryDelay;
        this.maxRetryDelay = b.maxRetryDelay.compareTo(b.initialRetryDelay) < 0 ? b.initialRetryDelay : b.maxRetryDelay;
        this.requestTimeout = b.requestTimeout;
        new RemoteWriteClient(url, requestTimeout); // checks the URL now, where the job is built
    }

    /** A builder; {@link Builder#url} and {@link Builder#mapper} are required. */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public StatefulSinkWriter<T, PrometheusSample> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, PrometheusSample> restoreWriter(WriterInitContext context, Collection<PrometheusSample> unsent) {
        return new PrometheusSinkWriter<>(context, new RemoteWriteClient(url, requestTimeout), mapper, maxBatchSamples,
                maxBufferedSamples, flushInterval, failureThreshold, initialRetryDelay, maxRetryDelay, unsent);
    }

    @Override
    public SimpleVersionedSerializer<PrometheusSample> getWriterStateSerializer() {
        return new PrometheusSampleSerializer();
    }

    /** Options of a {@link PrometheusSink}. */
    public static final class Builder<T> {
        private String url;
        private SerializableFunction<T, List<PrometheusSample>> mapper;
        private int maxBatchSamples = 5_000;
        private int maxBufferedSamples = 500_000;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int failureThreshold = 3;
        private Duration initialRetryDelay = Duration.ofMillis(100);
        private Duration maxRetryDelay = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /** The remote-write endpoint, e.g. {@code http://127.0.0.1:9090/api/v1/write}; required. */
        public Builder<T> url(String url) {
            this.url = url;
            return this;
        }

        /** Turns an element into its samples (none is fine); required. */
        public Builder<T> mapper(SerializableFunction<T, List<PrometheusSample>> mapper) {
            this.mapper = mapper;
            return this;
        }

        /** Samples per request at most; default 5,000. */
        public Builder<T> maxBatchSamples(int n) {
            if (n < 1) throw new IllegalArgumentException("maxBatchSamples must be at least 1: " + n);
            this.maxBatchSamples = n;
            return this;
        }

        /** Unsent samples a writer holds; beyond that the oldest are dropped and counted. Default 500,000. */
        public Builder<T> maxBufferedSamples(int n) {
            if (n < 1) throw new IllegalArgumentException("maxBufferedSamples must be at least 1: " + n);
            this.maxBufferedSamples = n;
            return this;
        }

        /** How often a partial batch is sent; default 1 s. */
        public Builder<T> flushInterval(Duration d) {
            this.flushInterval = positive(d, "flushInterval");
            return this;
        }

        /** Failed requests in a row that open the circuit breaker; default 3. */
        public Builder<T> failureThreshold(int n) {
            if (n < 1) throw new IllegalArgumentException("failureThreshold must be at least 1: " + n);
            this.failureThreshold = n;
            return this;
        }

        /** How long the breaker first stays open, doubled after every failed probe; default 100 ms. */
        public Builder<T> initialRetryDelay(Duration d) {
            this.initialRetryDelay = positive(d, "initialRetryDelay");
            return this;
        }

        /** The longest the breaker stays open; default 30 s. */
        public Builder<T> maxRetryDelay(Duration d) {
            this.maxRetryDelay = positive(d, "maxRetryDelay");
            return this;
        }

        /** How long one request may take, connecting included; default 10 s. */
        public Builder<T> requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /** The sink. */
        public PrometheusSink<T> build() {
            return new PrometheusSink<>(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
            return d;
        }
    }

    /** Writer state: one unsent sample. Version 1: metric, label count, names and values, value, timestamp. */
    static final class PrometheusSampleSerializer implements SimpleVersionedSerializer<PrometheusSample> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PrometheusSample s) throws IOException {
            org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(64);
            out.writeUTF(s.metric());
            out.writeInt(s.labels().size());
            for (var label : s.labels().entrySet()) {
                out.writeUTF(label.getKey());
                out.writeUTF(label.getValue());
            }
            out.writeDouble(s.value());
            out.writeLong(s.timestampMillis());
            return out.getCopyOfBuffer();
        }

        @Override
        public PrometheusSample deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) throw new IOException("Unknown PrometheusSink state version " + version + " (this build reads 1)");
            org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer(bytes);
            String metric = in.readUTF();
            int n = in.readInt();
            java.util.TreeMap<String, String> labels = new java.util.TreeMap<>();
            for (int i = 0; i < n; i++) labels.put(in.readUTF(), in.readUTF());
            return new PrometheusSample(metric, labels, in.readDouble(), in.readLong());
        }
    }
}
