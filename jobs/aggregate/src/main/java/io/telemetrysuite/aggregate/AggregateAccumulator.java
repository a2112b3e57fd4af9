package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.Aggregate;
import java.nio.ByteBuffer;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The running state of one key's window: weighted sums, maxima and the latency sketches. It merges
 * (with a second window's state, or with a finer window's emitted {@link Aggregate}) and turns into
 * an {@link Aggregate}. A Flink POJO; the sketches serialize through {@link LatencySketchTypeInfo}.
 *
 * <p>Averages are kept as weighted sums over {@link #count} so that merging is addition.
 */
public class AggregateAccumulator {
    public String signal = "";
    public String serviceName = "";
    public String spanName = "";
    public String route = "";
    public String kind = "";
    public String tenant = "";
    public String host = "";
    public String model = "";

    public double count;
    public double errorCount;
    public double latencySumMs;
    public double maxMs;
    public double memorySum;
    public double cpuSum;
    public double maxMemoryBytes;
    public double maxCpuPercent;
    public double outputTokens;
    public double energyJoules;
    public LatencySketch latency;
    public LatencySketch timeToFirstToken;

    public AggregateAccumulator() {}

    public static AggregateAccumulator empty(int kllK) {
        AggregateAccumulator acc = new AggregateAccumulator();
        acc.latency = LatencySketch.create(kllK);
        acc.timeToFirstToken = LatencySketch.create(kllK);
        return acc;
    }

    public void add(Observation o) {
        if (count == 0) copyKey(o.signal, o.serviceName, o.spanName, o.route, o.kind, o.tenant, o.host, o.model);
        double w = o.weight;
        count += w;
        if (o.error) errorCount += w;
        if (o.hasLatency) {
            latencySumMs += w * o.latencyMs;
            maxMs = Math.max(maxMs, o.latencyMs);
            latency.add(o.latencyMs, w);
        }
        memorySum += w * o.memoryBytes;
        cpuSum += w * o.cpuPercent;
        maxMemoryBytes = Math.max(maxMemoryBytes, o.memoryBytes);
        maxCpuPercent = Math.max(maxCpuPercent, o.cpuPercent);
        outputTokens += w * o.outputTokens;
        energyJoules += w * o.energyJoules;
        if (o.hasTimeToFirstToken) timeToFirstToken.add(o.timeToFirstTokenMs, w);
    }

    public AggregateAccumulator merge(AggregateAccumulator other) {
        if (count == 0) copyKey(other.signal, other.serviceName, other.spanName, other.route, other.kind, other.tenant, other.host, other.model);
        count += other.count;
        errorCount += other.errorCount;
        latencySumMs += other.latencySumMs;
        maxMs = Math.max(maxMs, other.maxMs);
        memorySum += other.memorySum;
        cpuSum += other.cpuSum;
        maxMemoryBytes = Math.max(maxMemoryBytes, other.maxMemoryBytes);
        maxCpuPercent = Math.max(maxCpuPercent, other.maxCpuPercent);
        outputTokens += other.outputTokens;
        energyJoules += other.energyJoules;
        latency.merge(other.latency);
        timeToFirstToken.merge(other.timeToFirstToken);
        return this;
    }

    /**
     * The state a finer window's result stands for, to merge into a coarser window. The sums come
     * back from averages times counts (exact for counts and maxima, to floating-point rounding for
     * averages); the sketches come back whole from {@link Aggregate#sketch}.
     */
    public static AggregateAccumulator of(Aggregate a) {
        AggregateAccumulator acc = new AggregateAccumulator();
        acc.copyKey(a.signal, a.serviceName, a.spanName, a.route, a.kind, a.tenant, a.host, a.model);
        acc.count = a.count;
        acc.errorCount = a.errorCount;
        acc.latencySumMs = a.avgMs * a.count;
        acc.maxMs = a.maxMs;
        acc.memorySum = a.avgMemoryBytes * a.count;
        acc.cpuSum = a.avgCpuPercent * a.count;
        acc.maxMemoryBytes = a.maxMemoryBytes;
        acc.maxCpuPercent = a.maxCpuPercent;
        acc.outputTokens = a.tokensPerSecond * (a.windowEnd - a.windowStart) / 1000.0;
        acc.energyJoules = a.energyPerTokenJoules * acc.outputTokens;
        LatencySketch[] sketches = decodeSketches(a.sketch);
        acc.latency = sketches[0];
        acc.timeToFirstToken = sketches[1];
        return acc;
    }

    /** The window's result; {@code update} marks a re-emission of a window already emitted. */
    public Aggregate toAggregate(String resolution, TimeWindow window, boolean update) {
        Aggregate a = new Aggregate();
        a.resolution = resolution;
        a.windowStart = window.getStart();
        a.windowEnd = window.getEnd();
        a.signal = signal;
        a.serviceName = serviceName;
        a.spanName = spanName;
        a.route = route;
        a.kind = kind;
        a.tenant = tenant;
        a.host = host;
        a.model = model;
        double seconds = (window.getEnd() - window.getStart()) / 1000.0;
        a.count = count;
        a.errorCount = errorCount;
        a.successCount = count - errorCount;
        a.ratePerSecond = count / seconds;
        if (count > 0) {
            a.avgMs = latencySumMs / count;
            a.avgMemoryBytes = memorySum / count;
            a.avgCpuPercent = cpuSum / count;
        }
        a.p50Ms = latency.quantile(0.50);
        a.p90Ms = latency.quantile(0.90);
        a.p95Ms = latency.quantile(0.95);
        a.p99Ms = latency.quantile(0.99);
        a.maxMs = maxMs;
        a.maxMemoryBytes = maxMemoryBytes;
        a.maxCpuPercent = maxCpuPercent;
        // Throughput of the model over the window, not the mean generation speed of single calls.
        a.tokensPerSecond = outputTokens / seconds;
        a.p95TimeToFirstTokenMs = timeToFirstToken.quantile(0.95);
        a.energyPerTokenJoules = outputTokens > 0 ? energyJoules / outputTokens : 0.0;
        a.sketch = encodeSketches(latency, timeToFirstToken);
        a.update = update;
        return a;
    }

    /**
     * {@link Aggregate#sketch} holds two length-prefixed KLL sketches, latency then time to first
     * token (empty except for inference), because the schema has one bytes field and inference needs both.
     */
    static byte[] encodeSketches(LatencySketch first, LatencySketch second) {
        byte[] a = first.toBytes();
        byte[] b = second.toBytes();
        return ByteBuffer.allocate(8 + a.length + b.length).putInt(a.length).put(a).putInt(b.length).put(b).array();
    }

    static LatencySketch[] decodeSketches(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        LatencySketch[] sketches = new LatencySketch[2];
        for (int i = 0; i < 2; i++) {
            byte[] one = new byte[buffer.getInt()];
            buffer.get(one);
            sketches[i] = LatencySketch.fromBytes(one);
        }
        return sketches;
    }

    private void copyKey(String signal, String serviceName, String spanName, String route, String kind,
                         String tenant, String host, String model) {
        this.signal = signal;
        this.serviceName = serviceName;
        this.spanName = spanName;
        this.route = route;
        this.kind = kind;
        this.tenant = tenant;
        this.host = host;
        this.model = model;
    }
}
