package io.telemetrysuite.aggregate;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Folds observations into per-key, per-window partials before the shuffle to the window operator,
 * chained to the operator that assigns event time: a few hundred spans of one service and route in a
 * 10 s window cross the network as one partial instead of a few hundred observations (the two-phase
 * aggregation Flink SQL does with mini-batches). Without it, serializing every observation to the
 * keyed window was most of the job's cost.
 *
 * <p>Partials leave when this subtask's watermark passes their window (so they reach the window before
 * the watermark that fires it), when the bundle holds {@code maxBundleSize} windows, and before every
 * checkpoint barrier, so the operator keeps no state of its own and exactly-once holds. An observation
 * for a window already flushed here goes on alone ({@link WindowPartial#observation}): the window
 * operator then decides, as before, whether it updates the window or is too late.
 */
public class WindowPreAggregator extends AbstractStreamOperator<WindowPartial> implements OneInputStreamOperator<Observation, WindowPartial> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final int kllK;
    private final int maxBundleSize;

    private transient Map<BundleKey, WindowPartial> bundle;
    private transient StreamRecord<WindowPartial> reuse;
    private transient long watermark;

    /** A bundle entry's identity: the window and the key fields, without building the key string per event. */
    private record BundleKey(long windowStart, String signal, String serviceName, String spanName, String route, String kind,
                             String tenant, String host, String model) {
        static BundleKey of(long windowStart, Observation o) {
            return new BundleKey(windowStart, o.signal, o.serviceName, o.spanName, o.route, o.kind, o.tenant, o.host, o.model);
        }
    }

    public WindowPreAggregator(long windowMillis, int kllK, int maxBundleSize) {
        this.windowMillis = windowMillis;
        this.kllK = kllK;
        this.maxBundleSize = maxBundleSize;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        reuse = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<Observation> element) {
        Observation observation = element.getValue();
        long windowStart = TimeWindow.getWindowStartWithOffset(element.getTimestamp(), 0, windowMillis);
        long windowMaxTimestamp = windowStart + windowMillis - 1;
        if (windowMaxTimestamp <= watermark) {
            AggregateAccumulator single = AggregateAccumulator.empty(kllK);
            single.add(observation);
            output.collect(reuse.replace(new WindowPartial(observation.key(), single, observation), windowMaxTimestamp));
            return;
        }
        WindowPartial partial = bundle.computeIfAbsent(BundleKey.of(windowStart, observation),
                k -> new WindowPartial(observation.key(), AggregateAccumulator.empty(kllK), null));
        partial.accumulator.add(observation);
        if (bundle.size() >= maxBundleSize) flushUpTo(Long.MAX_VALUE);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flushUpTo(mark.getTimestamp());
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushUpTo(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushUpTo(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits the partials of every window whose last millisecond is at or before {@code timestamp}. */
    private void flushUpTo(long timestamp) {
        Iterator<Map.Entry<BundleKey, WindowPartial>> entries = bundle.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<BundleKey, WindowPartial> entry = entries.next();
            long windowMaxTimestamp = entry.getKey().windowStart() + windowMillis - 1;
            if (windowMaxTimestamp <= timestamp) {
                output.collect(reuse.replace(entry.getValue(), windowMaxTimestamp));
                entries.remove();
            }
        }
    }
}
