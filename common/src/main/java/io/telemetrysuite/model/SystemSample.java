package io.telemetrysuite.model;

/** One sample of a host's resources. Rates are per second over the sampling interval. */
public class SystemSample {
    public long timestampMillis;
    public String host = "";
    /** Utilization per core, 0..100. */
    public double[] cpuPercentPerCore = new double[0];
    public long memoryUsedBytes;
    public long memoryTotalBytes;
    public long cacheMisses;
    public double diskReadBytesPerSec;
    public double diskWriteBytesPerSec;
    public double networkRxBytesPerSec;
    public double networkTxBytesPerSec;
    public long queueDepth;

    public SystemSample() {}

    /** Mean utilization over all cores, 0..100. */
    public double cpuPercent() {
        if (cpuPercentPerCore.length == 0) return 0.0;
        double sum = 0;
        for (double c : cpuPercentPerCore) sum += c;
        return sum / cpuPercentPerCore.length;
    }

    @Override
    public String toString() {
        return "SystemSample{" + host + " cpu=" + cpuPercent() + " mem=" + memoryUsedBytes + " @" + timestampMillis + "}";
    }
}
