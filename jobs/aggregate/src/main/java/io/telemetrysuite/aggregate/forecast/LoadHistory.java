package io.telemetrysuite.aggregate.forecast;

/**
 * One subject's recent load, one point per window, oldest first in ring buffers: the forecaster's
 * keyed state. A Flink POJO of primitive arrays, so it is serialized without Kryo.
 */
public class LoadHistory {
    /** {@code service} or {@code tenant}. */
    public String signal = "";
    /** The service or tenant name. */
    public String name = "";
    public double[] requests = new double[0];
    public double[] cpuPercent = new double[0];
    public double[] memoryBytes = new double[0];
    /** Ring index of the oldest point. */
    public int start;
    public int size;
    /** End of the newest window in the history (epoch ms), 0 before the first. */
    public long lastWindowEnd;
    /** Points appended since the last fit. */
    public int sinceFit;
    public boolean fitted;

    public LoadHistory() {}

    public static LoadHistory create(String signal, String name, int capacity) {
        LoadHistory h = new LoadHistory();
        h.signal = signal;
        h.name = name;
        h.requests = new double[capacity];
        h.cpuPercent = new double[capacity];
        h.memoryBytes = new double[capacity];
        return h;
    }

    public void append(double requests, double cpuPercent, double memoryBytes) {
        int capacity = this.requests.length;
        int at;
        if (size < capacity) {
            at = (start + size) % capacity;
            size++;
        } else {
            at = start;
            start = (start + 1) % capacity;
        }
        this.requests[at] = requests;
        this.cpuPercent[at] = cpuPercent;
        this.memoryBytes[at] = memoryBytes;
        sinceFit++;
    }

    /** The newest point of a series, or 0 when empty. */
    public double newest(double[] series) {
        return size == 0 ? 0 : series[(start + size - 1) % series.length];
    }

    /** A series' points, oldest first. */
    public double[] ordered(double[] series) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = series[(start + i) % series.length];
        return out;
    }
}
