package io.telemetrysuite.traces.graph;

import io.telemetrysuite.model.ServiceGraphEdge;

/** Adding up {@link ServiceGraphEdge} counts: a series' totals, and both series of an edge for a jsonl line. */
final class EdgeTotals {
    private EdgeTotals() {}

    /** A deep copy (the arrays too), so emitted records never share state with what is kept. */
    static ServiceGraphEdge copy(ServiceGraphEdge e) {
        ServiceGraphEdge c = new ServiceGraphEdge();
        c.client = e.client;
        c.server = e.server;
        c.connectionType = e.connectionType;
        c.requests = e.requests;
        c.failed = e.failed;
        c.serverSecondsSum = e.serverSecondsSum;
        c.clientSecondsSum = e.clientSecondsSum;
        c.timestampMillis = e.timestampMillis;
        c.failedSeries = e.failedSeries;
        c.bucketBounds = e.bucketBounds.clone();
        c.serverBucketCounts = e.serverBucketCounts.clone();
        c.clientBucketCounts = e.clientBucketCounts.clone();
        return c;
    }

    /**
     * Adds one request of {@link ServiceGraph#edges} (no histogram arrays) to a series' totals, or starts
     * them when {@code total} is null; returns the totals. Each duration goes into the connector's bucket.
     */
    static ServiceGraphEdge count(ServiceGraphEdge total, ServiceGraphEdge request, double[] bounds) {
        if (total == null) {
            total = copy(request);
            total.requests = 0;
            total.failed = 0;
            total.serverSecondsSum = 0;
            total.clientSecondsSum = 0;
            total.bucketBounds = bounds.clone();
            total.serverBucketCounts = new long[bounds.length + 1];
            total.clientBucketCounts = new long[bounds.length + 1];
        }
        if (request.serverBucketCounts.length > 0) {
            add(total, request);
            return total;
        }
        total.requests += request.requests;
        total.failed += request.failed;
        total.serverSecondsSum += request.serverSecondsSum;
        total.clientSecondsSum += request.clientSecondsSum;
        total.timestampMillis = Math.max(total.timestampMillis, request.timestampMillis);
        total.serverBucketCounts[ServiceGraph.bucket(bounds, request.serverSecondsSum)] += request.requests;
        total.clientBucketCounts[ServiceGraph.bucket(bounds, request.clientSecondsSum)] += request.requests;
        return total;
    }

    /** Adds {@code more}'s counts, sums and buckets to {@code into}; the later timestamp wins. */
    static void add(ServiceGraphEdge into, ServiceGraphEdge more) {
        into.requests += more.requests;
        into.failed += more.failed;
        into.serverSecondsSum += more.serverSecondsSum;
        into.clientSecondsSum += more.clientSecondsSum;
        into.timestampMillis = Math.max(into.timestampMillis, more.timestampMillis);
        if (into.serverBucketCounts.length == 0) {
            into.bucketBounds = more.bucketBounds.clone();
            into.serverBucketCounts = new long[more.serverBucketCounts.length];
            into.clientBucketCounts = new long[more.clientBucketCounts.length];
        }
        if (more.serverBucketCounts.length != into.serverBucketCounts.length) {
            throw new IllegalStateException("Histogram buckets differ for " + into + ": the bucket bounds changed");
        }
        for (int i = 0; i < more.serverBucketCounts.length; i++) {
            into.serverBucketCounts[i] += more.serverBucketCounts[i];
            into.clientBucketCounts[i] += more.clientBucketCounts[i];
        }
    }

    /** The Prometheus series of a record: client, server, connection type and the failed label. */
    static String seriesKey(ServiceGraphEdge e) {
        return edgeKey(e) + '\u0000' + e.failedSeries;
    }

    /** The edge of a record, both failed labels together. */
    static String edgeKey(ServiceGraphEdge e) {
        return e.client + '\u0000' + e.server + '\u0000' + e.connectionType;
    }
}
