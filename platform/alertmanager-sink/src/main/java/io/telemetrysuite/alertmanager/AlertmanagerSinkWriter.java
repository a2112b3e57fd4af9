package io.telemetrysuite.alertmanager;

import io.telemetrysuite.alertmanager.AlertmanagerSink.BufferedAlert;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.sink.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of an {@link AlertmanagerSink}: sends alerts as they come, keeps firing alerts alive by
 * re-sending them, leaves Alertmanager alone while its circuit breaker is open, and hands what is
 * unsent to the checkpoint. Everything runs on the task's mailbox thread (elements, flushes, snapshots
 * and its processing-time timer), so nothing here is synchronized.
 */
final class AlertmanagerSinkWriter implements StatefulSinkWriter<Alert, BufferedAlert> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSinkWriter.class);

    private final AlertmanagerClient client;
    private final CircuitBreaker breaker;
    private final ProcessingTimeService timers;
    private final int maxBatch;
    private final int maxBuffered;
    private final int maxActive;
    private final long flushIntervalMillis;
    private final long resendIntervalMillis;
    private final long validForMillis;
    private final long oneShotMillis;
    private final String generatorUrl;

    /** Alerts not yet taken by Alertmanager, oldest first; they leave once taken or refused for good. */
    private final ArrayDeque<Alert> pending = new ArrayDeque<>();
    /** Firing alerts of resolving kinds by label set, least recently fired first: re-sent until resolved. */
    private final LinkedHashMap<String, Alert> active = new LinkedHashMap<>();
    private long lastResendAt;
    /** Re-send every active alert as soon as the pending ones are out: after an outage or a restore. */
    private boolean resendAll;
    private boolean closed;

    private final Counter alertsSent;
    private final Counter alertsDropped;
    private final Counter alertsOverflowed;
    private final Counter requestsSent;
    private final Counter failedAttempts;
    private final Counter retries;
    private final Counter numRecordsSend;
    private final Counter numRecordsOutErrors;

    AlertmanagerSinkWriter(WriterInitContext context, AlertmanagerClient client, AlertmanagerSink sink, Collection<BufferedAlert> restored) {
        this.client = client;
        this.breaker = new CircuitBreaker(sink.failureThreshold(), sink.initialRetryDelay(), sink.maxRetryDelay());
        this.timers = context.getProcessingTimeService();
        this.maxBatch = sink.maxBatchAlerts();
        this.maxBuffered = sink.maxBufferedAlerts();
        this.maxActive = sink.maxActiveAlerts();
        this.flushIntervalMillis = sink.flushInterval().toMillis();
        this.resendIntervalMillis = sink.resendInterval().toMillis();
        // Prometheus' rule: valid for four resend intervals, so that three lost re-sends in a row do not resolve it.
        this.validForMillis = 4 * resendIntervalMillis;
        this.oneShotMillis = sink.oneShotDuration().toMillis();
        this.generatorUrl = sink.generatorUrl();

        MetricGroup group = context.metricGroup().addGroup("alertmanagerSink");
        alertsSent = group.counter("alertsSent");
        alertsDropped = group.counter("alertsDropped");
        alertsOverflowed = group.counter("alertsOverflowed");
        requestsSent = group.counter("requestsSent");
        failedAttempts = group.counter("failedAttempts");
        retries = group.counter("retries");
        group.gauge("alertsBuffered", pending::size);
        group.gauge("alertsActive", active::size);
        breaker.registerMetrics(group);
        numRecordsSend = context.metricGroup().getNumRecordsSendCounter();
        numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();

        restore(context.getTaskInfo(), restored);
        lastResendAt = System.currentTimeMillis();
        scheduleTick();
    }

    private void restore(TaskInfo task, Collection<BufferedAlert> restored) {
        int strangers = 0;
        for (BufferedAlert entry : restored) {
            if (!entry.active()) {
                enqueue(entry.alert());
                continue;
            }
            String id = AlertmanagerAlerts.identity(entry.alert());
            // After a rescale Flink deals writer state out round-robin, so an active alert may land on a
            // writer that no longer receives its label set. Re-sending it here could revive it after its
            // owner sent the resolved alert; letting it expire in Alertmanager is the lesser evil.
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    id, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
            if (owner == task.getIndexOfThisSubtask()) {
                keepActive(id, entry.alert());
            } else {
                strangers++;
            }
        }
        // Alertmanager keeps alerts in memory only: after a restore, tell it again what is firing.
        resendAll = !active.isEmpty();
        if (!restored.isEmpty()) {
            LOG.info("Restored {} unsent and {} firing alerts for {}{}", pending.size(), active.size(), client.url(),
                    strangers == 0 ? "" : "; " + strangers + " firing alerts of other subtasks' label sets (rescaled) expire in Alertmanager");
        }
    }

    @Override
    public void write(Alert alert, Context context) throws InterruptedException {
        String id = AlertmanagerAlerts.identity(alert);
        if (Alert.RESOLVED.equals(alert.status)) {
            active.remove(id);
        } else if (AlertmanagerAlerts.resolves(alert)) {
            active.remove(id); // re-insert: the most recently fired is the last to be evicted
            keepActive(id, alert);
        }
        enqueue(alert);
        if (pending.size() >= maxBatch) drainWhileAllowed();
    }

    /**
     * Before every checkpoint and at the end of input. A checkpoint does not wait for Alertmanager:
     * what is unsent goes into {@link #snapshotState}. The end of input does wait: there is no later.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        drainWhileAllowed();
        resendIfDue();
        while (endOfInput && (!pending.isEmpty() || resendAll)) {
            Thread.sleep(Math.max(10, breaker.millisUntilAllowed()));
            drainWhileAllowed();
            resendIfDue();
        }
    }

    @Override
    public List<BufferedAlert> snapshotState(long checkpointId) {
        List<BufferedAlert> state = new ArrayList<>(pending.size() + active.size());
        for (Alert a : pending) state.add(new BufferedAlert(a, false));
        for (Alert a : active.values()) state.add(new BufferedAlert(a, true));
        return state;
    }

    @Override
    public void close() {
        closed = true;
        if (!pending.isEmpty()) {
            // Only on cancellation or failover: they are in the last checkpoint or re-read from the source.
            LOG.warn("Closing with {} alerts unsent to {}", pending.size(), client.url());
        }
    }

    private void enqueue(Alert alert) {
        if (pending.size() >= maxBuffered) {
            // Bounded: a long outage must not exhaust the heap. The oldest go first; a dropped firing
            // alert of a resolving kind is still re-sent from the active set once Alertmanager is back.
            Alert dropped = pending.poll();
            alertsOverflowed.inc();
            numRecordsOutErrors.inc();
            if (alertsOverflowed.getCount() == 1 || alertsOverflowed.getCount() % 1000 == 0) {
                LOG.warn("{} alerts unsent to {}: dropped the oldest ({}), {} dropped so far", maxBuffered, client.url(), dropped,
                        alertsOverflowed.getCount());
            }
        }
        pending.add(alert);
    }

    private void keepActive(String id, Alert alert) {
        active.put(id, alert);
        if (active.size() > maxActive) {
            Iterator<Alert> oldest = active.values().iterator();
            LOG.warn("More than {} firing alerts to keep alive; {} is no longer re-sent and expires in Alertmanager", maxActive, oldest.next());
            oldest.remove();
        }
    }

    private void scheduleTick() {
        timers.registerTimer(timers.getCurrentProcessingTime() + flushIntervalMillis, time -> {
            if (closed) return;
            drainWhileAllowed();
            resendIfDue();
            scheduleTick();
        });
    }

    private void drainWhileAllowed() throws InterruptedException {
        while (!pending.isEmpty() && breaker.allowRequest()) {
            List<Alert> batch = new ArrayList<>(Math.min(pending.size(), maxBatch));
            Iterator<Alert> it = pending.iterator();
            while (it.hasNext() && batch.size() < maxBatch) batch.add(it.next());
            int settled = deliver(batch, false);
            for (int i = 0; i < settled; i++) pending.poll();
            numRecordsSend.inc(settled);
            if (settled < batch.size()) return;
        }
    }

    /** Re-sends the active alerts when their interval is up or after an outage, once no update is waiting before them. */
    private void resendIfDue() throws InterruptedException {
        long now = System.currentTimeMillis();
        if (active.isEmpty()) {
            resendAll = false;
            return;
        }
        if (!pending.isEmpty() || (!resendAll && now - lastResendAt < resendIntervalMillis)) return;
        List<Alert> all = new ArrayList<>(active.values());
        for (int from = 0; from < all.size(); from += maxBatch) {
            if (!breaker.allowRequest()) return;
            List<Alert> batch = all.subList(from, Math.min(all.size(), from + maxBatch));
            if (deliver(batch, true) < batch.size()) return;
        }
        lastResendAt = now;
        resendAll = false;
    }

    /**
     * Posts {@code batch}; when Alertmanager refuses it for good, posts its halves on their own so
     * that one invalid alert does not take the others down with it.
     *
     * @param resend whether these are active alerts being re-sent (a refused one then leaves the active set)
     * @return how many alerts from the front of {@code batch} are settled (taken or dropped); fewer
     *     than all when a retryable failure stopped it
     */
    private int deliver(List<Alert> batch, boolean resend) throws InterruptedException {
        if (breaker.failuresInARow() > 0) retries.inc();
        long now = System.currentTimeMillis();
        AlertmanagerClient.Result result = client.post(batch, now, validForMillis, oneShotMillis, generatorUrl);
        requestsSent.inc();
        switch (result.outcome()) {
            case ACCEPTED:
                alertsSent.inc(batch.size());
                int failed = breaker.failuresInARow();
                if (breaker.recordSuccess()) {
                    LOG.info("Alertmanager at {} takes alerts again after {} failed attempts; re-sending {} firing alerts",
                            client.url(), failed, active.size());
                    resendAll = true;
                }
                return batch.size();
            case REJECTED:
                // Alertmanager answered: it is up, only this request is bad.
                if (breaker.recordSuccess()) resendAll = true;
                if (batch.size() > 1) {
                    int half = batch.size() / 2;
                    int first = deliver(batch.subList(0, half), resend);
                    if (first < half) return first;
                    return half + deliver(batch.subList(half, batch.size()), resend);
                }
                LOG.warn("Alertmanager at {} refused {} ({}): {}; dropped", client.url(), batch.get(0), result.status(), result.message());
                alertsDropped.inc();
                if (resend) active.remove(AlertmanagerAlerts.identity(batch.get(0)));
                else numRecordsOutErrors.inc();
                return 1;
            default:
                failedAttempts.inc();
                breaker.recordFailure();
                if (breaker.failuresInARow() == 1) {
                    LOG.warn("Cannot post {} alerts to Alertmanager at {} ({}): {}; retrying, keeping {} buffered",
                            batch.size(), client.url(), result.status(), result.message(), pending.size());
                } else {
                    LOG.debug("Attempt {} to post to {} failed ({}): {}; {}", breaker.failuresInARow(), client.url(), result.status(),
                            result.message(), breaker);
                }
                return 0;
        }
    }
}
