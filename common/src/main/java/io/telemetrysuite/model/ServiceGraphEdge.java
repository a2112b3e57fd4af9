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
    /**
     * The {@code failed} label of the Prometheus series this record is: the connector keys its series
     * by client, server, connection type and failed, so an edge is two series, one counting its failed
     * requests ({@code true}, then {@link #failed} equals {@link #requests}) and one the rest. False on
     * a line of {@code service-graph.jsonl}, which merges both.
     */
    public boolean failedSeries;
    /** The histograms' upper bucket bounds, seconds, ascending; the last bucket (+Inf) is implicit. */
    public double[] bucketBounds = new double[0];
    /** Requests per server-side duration bucket (not cumulative), one more than {@link #bucketBounds}. */
    public long[] serverBucketCounts = new long[0];
    /** Requests per client-side duration bucket (not cumulative), one more than {@link #bucketBounds}. */
    public long[] clientBucketCounts = new long[0];

    public ServiceGraphEdge() {}

    @Override
    public String toString() {
        return "Edge{" + client + " -> " + server + " " + connectionType + " requests=" + requests + " failed=" + failed + "}";
    }
}
