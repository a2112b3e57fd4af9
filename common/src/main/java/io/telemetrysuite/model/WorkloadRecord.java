package io.telemetrysuite.model;

/** One request served by a workload: who asked, for what, and what it cost. */
public class WorkloadRecord {
    public long timestampMillis;
    public String tenant = "";
    /** A user identifier: the privacy policy usually hashes it. */
    public String user = "";
    public String requestId = "";
    public String route = "";
    public String method = "";
    public int statusCode;
    public double durationMs;
    /** Size of the request's context (for model workloads, in tokens). */
    public long contextSize;
    public long memoryBytes;
    public double cpuPercent;
    public long responseSizeBytes;
    /** Empty when the request succeeded. */
    public String errorMessage = "";
    public String serviceName = "";

    public WorkloadRecord() {}

    public boolean isError() {
        return statusCode >= 500 || (errorMessage != null && !errorMessage.isEmpty());
    }

    @Override
    public String toString() {
        return "WorkloadRecord{" + tenant + " " + method + " " + route + " " + statusCode + " " + durationMs + "ms @" + timestampMillis + "}";
    }
}
