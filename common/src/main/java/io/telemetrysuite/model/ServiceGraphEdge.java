package io.telemetrysuite.model;

/**
 * The requests between two services (or a service and a database, or a virtual {@code user} /
 * {@code unknown} node), as the OpenTelemetry Collector's {@code servicegraph} connector counts them:
 * one line of {@code service-graph.jsonl}. Counts are cumulative since the job started, as of
 * {@link #timestampMillis}.
 */
public class ServiceGraphEdge {
    public String client = "";
    public String server = "";
    /** Empty for a direct call; {@code messaging_system}, {@code database} or {@code virtual_node} otherwise. */
    public String connectionType = "";
    public long requests;
    public long failed;
    /** Sum of server-side and client-side durations, seconds. */
    public double serverSecondsSum;
    public double clientSecondsSum;
    /** Event time of the latest request counted (epoch ms). */
    public long timestampMillis;

    public ServiceGraphEdge() {}

    @Override
    public String toString() {
        return "Edge{" + client + " -> " + server + " " + connectionType + " requests=" + requests + " failed=" + failed + "}";
    }
}
