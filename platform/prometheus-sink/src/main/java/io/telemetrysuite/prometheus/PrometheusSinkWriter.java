package io.telemetrysuite.prometheus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of a {@link PrometheusSink}: buffers samples, sends them in batches, retries with
 * backoff and hands what is unsent to the checkpoint. Everything runs on the task's mailbox thread
 * (elements, flushes, snapshots and its processing-time timer), so nothing here is synchronized.
 */
final class PrometheusSinkWriter<T> implements StatefulSinkWriter<T, PrometheusSample> {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSinkWriter.class);

    private final RemoteWriteClient client;
    private final SerializableFunction<T, List<PrometheusSample>> mapper;
    private final int maxBatchSamples;
    private final int maxBufferedSamples;
    private final long flushIntervalMillis;
    private final long initialRetryDelayMillis;
    private final long maxRetryDelayMillis;
    private final ProcessingTimeService timers;

    /** Oldest first; samples leave only once Prometheus took them or rejected them for good. */
    private final ArrayDeque<PrometheusSample> buffer = new ArrayDeque<>();
    private long nextAttemptAt;
    private long retryDelayMillis;
    /** Failed attempts in a row; the first of a streak is logged at WARN, the rest at DEBUG. */
    private int failuresInARow;
    private boolean closed;

    private final Counter samplesSent;
    private final Counter samplesDropped;
    private final Counter requestsSent;
    private final Counter retries;
    private final Counter numRecordsSend;
    private final Counter numRecordsOutErrors;

    PrometheusSinkWriter(WriterInitContext context, RemoteWriteClient client, SerializableFunction<T, List<PrometheusSample>> mapper,
                         int maxBatchSamples, int maxBufferedSamples, Duration flushInterval, Duration initialRetryDelay,
                         Duration maxRetryDelay, Collection<PrometheusSample> restored) {
        this.client = client;
        this.mapper = mapper;
        this.maxBatchSamples = maxBatchSamples;
        this.maxBufferedSamples = maxBufferedSamples;
        this.flushIntervalMillis = flushInterval.toMillis();
        this.initialRetryDelayMillis = initialRetryDelay.toMillis();
        this.maxRetryDelayMillis = maxRetryDelay.toMillis();
        this.retryDelayMillis = initialRetryDelayMillis;
        this.timers = context.getProcessingTimeService();
        buffer.addAll(restored);
        if (!restored.isEmpty()) LOG.info("Restored {} unsent samples for {}", restored.size(), client.url());

        MetricGroup group = context.metricGroup().addGroup("prometheusSink");
        samplesSent = group.counter("samplesSent");
        samplesDropped = group.counter("samplesDropped");
        requestsSent = group.counter("requestsSent");
        retries = group.counter("retries");
        group.gauge("samplesBuffered", () -> buffer.size());
        numRecordsSend = context.metricGroup().getNumRecordsSendCounter();
        numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();
        scheduleFlush();
    }

    @Override
    public void write(T element, Context context) throws InterruptedException {
        List<PrometheusSample> samples = mapper.apply(element);
        if (samples != null) buffer.addAll(samples);
        // Full batches go at once; a failure leaves them for the next due attempt instead of
        // stalling the input, until the buffer is full.
        while (buffer.size() >= maxBatchSamples && attemptIfDue()) {
            // keep sending full batches
        }
        while (buffer.size() >= maxBufferedSamples) {
            // Backpressure: Prometheus has been away long enough to fill the buffer.
            awaitNextAttempt();
            attemptIfDue();
        }
    }

    /**
     * Before every checkpoint and at the end of input. A checkpoint does not wait for Prometheus: what
     * is unsent goes into {@link #snapshotState}. The end of input does wait: there is no later.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        drainWhileDue();
        while (endOfInput && !buffer.isEmpty()) {
            awaitNextAttempt();
            drainWhileDue();
        }
    }

    @Override
    public List<PrometheusSample> snapshotState(long checkpointId) {
        return new ArrayList<>(buffer);
    }

    @Override
    public void close() {
        closed = true;
        if (!buffer.isEmpty()) {
            // Only on cancellation or failover: the samples are in the last checkpoint or re-read from the source.
            LOG.warn("Closing with {} samples unsent to {}", buffer.size(), client.url());
        }
    }

    private void scheduleFlush() {
        timers.registerTimer(timers.getCurrentProcessingTime() + flushIntervalMillis, time -> {
            if (closed) return;
            drainWhileDue();
            scheduleFlush();
        });
    }

    private void drainWhileDue() throws InterruptedException {
        while (!buffer.isEmpty() && attemptIfDue()) {
            // the next batch
        }
    }

    private void awaitNextAttempt() throws InterruptedException {
        long wait = nextAttemptAt - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
    }

    /**
     * Sends the oldest batch if the backoff allows.
     *
     * @return whether the batch left the buffer (delivered, or rejected for good and dropped)
     */
    private boolean attemptIfDue() throws InterruptedException {
        if (buffer.isEmpty() || System.currentTimeMillis() < nextAttemptAt) return false;
        List<PrometheusSample> batch = new ArrayList<>(Math.min(buffer.size(), maxBatchSamples));
        Iterator<PrometheusSample> it = buffer.iterator();
        while (it.hasNext() && batch.size() < maxBatchSamples) batch.add(it.next());

        int settled = deliver(batch);
        for (int i = 0; i < settled; i++) buffer.poll();
        return settled == batch.size();
    }

    /**
     * Sends {@code batch}; when Prometheus rejects it for good, sends its halves on their own so that
     * one bad sample does not take the others down with it (Prometheus 2.42 rolls back a whole request
     * on the first sample it refuses).
     *
     * @return how many samples from the front of {@code batch} are settled (sent or dropped); fewer
     *     than all when a retryable failure stopped it, and then the backoff is armed
     */
    private int deliver(List<PrometheusSample> batch) throws InterruptedException {
        RemoteWriteClient.Result result = client.send(batch);
        requestsSent.inc();
        switch (result.outcome()) {
            case ACCEPTED:
                samplesSent.inc(batch.size());
                numRecordsSend.inc(batch.size());
                if (failuresInARow > 0) LOG.info("Prometheus at {} takes samples again after {} failed attempts", client.url(), failuresInARow);
                failuresInARow = 0;
                retryDelayMillis = initialRetryDelayMillis;
                nextAttemptAt = 0;
                return batch.size();
            case REJECTED:
                if (batch.size() > 1) {
                    int half = batch.size() / 2;
                    int first = deliver(batch.subList(0, half));
                    if (first < half) return first;
                    return half + deliver(batch.subList(half, batch.size()));
                }
                LOG.warn("Prometheus at {} rejected {} ({}): {}; dropped", client.url(), batch.get(0), result.status(), result.message());
                samplesDropped.inc();
                numRecordsOutErrors.inc();
                return 1;
            default:
                retries.inc();
                failuresInARow++;
                if (failuresInARow == 1) {
                    LOG.warn("Cannot write {} samples to Prometheus at {} ({}): {}; retrying, keeping {} buffered",
                            batch.size(), client.url(), result.status(), result.message(), buffer.size());
                } else {
                    LOG.debug("Attempt {} to write to {} failed ({}): {}", failuresInARow, client.url(), result.status(), result.message());
                }
                nextAttemptAt = System.currentTimeMillis() + retryDelayMillis;
                retryDelayMillis = Math.min(retryDelayMillis * 2, maxRetryDelayMillis);
                return 0;
        }
    }
}
