package io.telemetrysuite.generator;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Feeds a {@code DataGeneratorSource} from a {@link SyntheticWorkload}: each subtask runs its own
 * shard (seeded by seed and subtask index) and hands out the records of one window after another.
 *
 * <p>The datagen source asks for one record per sequence number, but a window yields a variable
 * number of records, so the function buffers windows and ignores the number. Paced, it hands a
 * record out only once the event clock has reached the record's timestamp (an export request is
 * stamped with its latest span end, as the Collector exports spans after they end), so nothing is
 * ever ahead of the clock. The clock is anchored at {@code wallClockStartMillis} (job submission):
 * time spent starting the job is skipped, multiplied by the speedup. It keeps no state
 * worth checkpointing: in paced mode it derives the window from the wall clock when it opens, so a
 * restarted subtask resumes at "now" (skipping its downtime, like a real system whose telemetry was
 * lost); unpaced, it starts over at {@code startMillis}, which at-least-once delivery tolerates.
 */
final class WorkloadGeneratorFunction implements GeneratorFunction<Long, GeneratedRecord> {
    private static final long serialVersionUID = 1L;

    private final GeneratorConfig cfg;
    private transient SyntheticWorkload workload;
    /** Unpaced: FIFO by window. Paced: by timestamp, so each record waits until the clock reaches it. */
    private transient Queue<GeneratedRecord> buffer;
    private transient long nextWindow;
    private transient long wallStart;

    WorkloadGeneratorFunction(GeneratorConfig cfg) {
        this.cfg = cfg.copy().validate();
    }

    @Override
    public void open(SourceReaderContext context) {
        GeneratorConfig shard = cfg.copy();
        shard.shard = context.getIndexOfSubtask();
        shard.shardCount = context.currentParallelism();
        workload = new SyntheticWorkload(shard);
        buffer = cfg.speedup > 0
                ? new PriorityQueue<>(Comparator.comparingLong((GeneratedRecord r) -> r.timestampMillis))
                : new ArrayDeque<>();
        long now = System.currentTimeMillis();
        wallStart = cfg.wallClockStartMillis > 0 ? cfg.wallClockStartMillis : now;
        nextWindow = cfg.speedup > 0 ? workload.windowStart(eventClock(now)) : cfg.startMillis;
    }

    @Override
    public GeneratedRecord map(Long sequenceNumber) throws InterruptedException {
        if (cfg.speedup <= 0) {
            while (buffer.isEmpty()) nextWindow();
            return buffer.poll();
        }
        while (true) {
            long now = System.currentTimeMillis();
            long clock = eventClock(now);
            GeneratedRecord head = buffer.peek();
            // Later windows only hold records stamped at or after their start, so the head may go
            // first once it is earlier than the next window; otherwise generate that window if it is over.
            if ((head == null || head.timestampMillis >= nextWindow) && nextWindow + cfg.tickMillis <= clock) {
                nextWindow();
                continue;
            }
            if (head != null && head.timestampMillis <= clock) return buffer.poll();
            long due = nextWindow + cfg.tickMillis;
            if (head != null) due = Math.min(due, head.timestampMillis);
            // GeneratorFunction offers no asynchronous hook; a wait lasts until the next record is due.
            Thread.sleep(Math.max(1, wallTimeOf(due) - now));
        }
    }

    private void nextWindow() {
        buffer.addAll(workload.tick(nextWindow));
        nextWindow += cfg.tickMillis;
    }

    /** Event time now: the accelerated clock, but never ahead of the wall clock (no future timestamps). */
    private long eventClock(long now) {
        return Math.min(now, cfg.startMillis + (long) ((now - wallStart) * cfg.speedup));
    }

    /** The wall-clock instant at which the event clock reaches the event time. */
    private long wallTimeOf(long eventTime) {
        return Math.max(eventTime, wallStart + (long) Math.ceil((eventTime - cfg.startMillis) / cfg.speedup));
    }
}
