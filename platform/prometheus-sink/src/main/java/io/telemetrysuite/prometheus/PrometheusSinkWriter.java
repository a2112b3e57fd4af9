package io.telemetrysuite.prometheus;

import io.telemetrysuite.sink.CircuitBreaker;
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
 * The writer of a {@link PrometheusSink}: buffers samples, sends them in batches, leaves Prometheus
 * alone while its {@link CircuitBreaker} is open, drops the oldest samples when the buffer is full and
 * hands what is unsent to the checkpoint. Everything runs on the task's mailbox thread
 * (elements, flushes, snapshots and its processing-time timer), so nothing here is synchronized.
 */
final class PrometheusSinkWriter<T> implements StatefulSinkWriter<T, PrometheusSample> {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSinkWriter.class);

    private final RemoteWriteClient client;
    private final SerializableFunction<T, List<PrometheusSample>> mapper;
    private final int maxBatchSamples;
    private final int maxBufferedSamples;
    private final long flushIntervalMillis;
    private final CircuitBreaker breaker;
    private final ProcessingTimeService timers;

    /**
     * Oldest first; samples leave once Prometheus took them or rejected them for good, or, when the
     * buffer is full, to make room for newer ones.
     */
    private final ArrayDeque<PrometheusSample> buffer = new ArrayDeque<>();
    private boolean closed;

    private final Counter samplesSent;
    private final Counter samplesDropped;
    private final Counter samplesOverflowed;
    private final Counter requestsSent;
    private final Counter failedAttempts;
    private final Counter retries;
    private final Counter numRecordsSend;
    private final Counter numRecordsOutErrors;

    PrometheusSinkWriter(WriterInitContext context, RemoteWriteClient client, SerializableFunction<T, List<PrometheusSample>> mapper,
                         int maxBatchSamples, int maxBufferedSamples, Duration flushInterval, int failureThreshold,
                         Duration initialRetryDelay, Duration maxRetryDelay, Collection<PrometheusSample> restored) {
        this.client = client;
        this.mapper = mapper;
        this.maxBatchSamples = maxBatchSamples;
        this.maxBufferedSamples = maxBufferedSamples;
        this.flushIntervalMillis = flushInterval.toMillis();
        this.breaker = new CircuitBreaker(failureThreshold, initialRetryDelay, maxRetryDelay);
        this.timers = context.getProcessingTimeService();

        MetricGroup group = context.metricGroup().addGroup("prometheusSink");
        samplesSent = group.counter("samplesSent");
        samplesDropped = group.counter("samplesDropped");
        samplesOverflowed = group.counter("samplesOverflowed");
        requestsSent = group.counter("requestsSent");
        failedAttempts = group.counter("failedAttempts");
        retries = group.counter("retries");
        group.gauge("samplesBuffered", () -> buffer.size());
        breaker.registerMetrics(group);
        numRecordsSend = context.metricGroup().getNumRecordsSendCounter();
        numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();

        enqueue(restored);
        if (!restored.isEmpty()) LOG.info("Restored {} unsent samples for {}", restored.size(), client.url());
        scheduleFlush();
    }

    @Override
    public void write(T element, Context context) throws InterruptedException {
        List<PrometheusSample> samples = mapper.apply(element);
        if (samples != null) enqueue(samples);
        // Full batches go at once; a failure leaves them for the breaker's next allowed attempt
        // instead of stalling the input.
        while (buffer.size() >= maxBatchSamples && attemptIfDue()) {
            // keep sending full batches
        }
    }

    /**
     * Adds samples, dropping the oldest ones beyond {@code maxBufferedSamples}. Dropping rather than
     * blocking: a writer blocked on its mailbox thread cannot take a checkpoint, and failed
     * checkpoints would fail the job over an outage of a monitoring backend. The oldest go first
     * because the newest are what a dashboard shows.
     */
    private void enqueue(Collection<PrometheusSample> samples) {
        buffer.addAll(samples);
        int over = buffer.size() - maxBufferedSamples;
        if (over <= 0) return;
        for (int i = 0; i < over; i++) buffer.poll();
        long before = samplesOverflowed.getCount();
        samplesOverflowed.inc(over);
        numRecordsOutErrors.inc(over);
        if (before == 0 || before / 100_000 != samplesOverflowed.getCount() / 100_000) {
            LOG.warn("{} samples unsent to {}: dropped the oldest, {} dropped so far", maxBufferedSamples, client.url(),
                    samplesOverflowed.getCount());
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
        Thread.sleep(Math.max(10, breaker.millisUntilAllowed()));
    }

    /**
     * Sends the oldest batch if the breaker allows.
     *
     * @return whether the batch left the buffer (delivered, or rejected for good and dropped)
     */
    private boolean attemptIfDue() throws InterruptedException {
        if (buffer.isEmpty() || !breaker.allowRequest()) return false;
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
     *     than all when a retryable failure stopped it, which the breaker counts
     */
    private int deliver(List<PrometheusSample> batch) throws InterruptedException {
        if (breaker.failuresInARow() > 0) retries.inc();
        RemoteWriteClient.Result result = client.send(batch);
        requestsSent.inc();
        switch (result.outcome()) {
            case ACCEPTED:
                samplesSent.inc(batch.size());
                numRecordsSend.inc(batch.size());
                int failed = breaker.failuresInARow();
                if (breaker.recordSuccess() || failed > 0) {
                    LOG.info("Prometheus at {} takes samples again after {} failed attempts", client.url(), failed);
                }
                return batch.size();
            case REJECTED:
                breaker.recordSuccess(); // Prometheus answered: it is up, only this request is bad
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
                failedAttempts.inc();
                breaker.recordFailure();
                if (breaker.failuresInARow() == 1) {
                    LOG.warn("Cannot write {} samples to Prometheus at {} ({}): {}; retrying, keeping {} buffered",
                            batch.size(), client.url(), result.status(), result.message(), buffer.size());
                } else {
                    LOG.debug("Attempt {} to write to {} failed ({}): {}; {}", breaker.failuresInARow(), client.url(), result.status(),
                            result.message(), breaker);
                }
                return 0;
        }
    }
}
