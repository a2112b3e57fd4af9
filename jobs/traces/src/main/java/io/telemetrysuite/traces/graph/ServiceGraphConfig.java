package io.telemetrysuite.traces.graph;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The options of the service graph, with the OpenTelemetry Collector {@code servicegraph} connector's
 * defaults (connector.go and config.go on the contrib main branch): its option names are given so a Collector configuration translates
 * one to one.
 *
 * <ul>
 *   <li>{@code latency_histogram_buckets}: 2 ms, 4, 6, 8, 10, 50, 100, 200, 400, 800 ms, 1 s, 1.4, 2, 5,
 *       10, 15 s;</li>
 *   <li>{@code database_name_attributes}: {@code [db.name]}; a client span with one of them (resource
 *       first, then span, per attribute) is a database request to the database it names. Add
 *       {@code db.namespace} for the current semantic conventions;</li>
 *   <li>{@code virtual_node_peer_attributes}: {@code [peer.service, db.name, db.system]}; the first one
 *       present on an unpaired client span names its virtual server, else {@code unknown}. Empty turns
 *       virtual nodes off (the connector's {@code virtualNode} feature gate is stable, so they are on);</li>
 *   <li>{@code metrics_flush_interval}: here in event time, 10 s (the connector flushes every 60 s of
 *       wall time): how often a changed series is emitted;</li>
 *   <li>stale series: the connector forgets a series not updated for 15 minutes (its counters restart
 *       if the edge comes back); here 15 minutes of event time.</li>
 * </ul>
 * Not supported: {@code dimensions}, {@code exponential_histogram_max_size},
 * {@code virtual_node_extra_label}, the legacy millisecond feature gates, and the {@code store} options
 * (pairing happens within one assembled trace, whose size the trace assembly bounds).
 */
public final class ServiceGraphConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The connector's default bucket bounds, seconds. */
    public static final double[] DEFAULT_BUCKETS = {
        0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15
    };
    public static final List<String> DEFAULT_DATABASE_NAME_ATTRIBUTES = List.of("db.name");
    public static final List<String> DEFAULT_PEER_ATTRIBUTES = List.of("peer.service", "db.name", "db.system");

    private final double[] buckets;
    private final List<String> databaseNameAttributes;
    private final List<String> virtualNodePeerAttributes;
    private final long flushIntervalMillis;
    private final long staleAfterMillis;

    private ServiceGraphConfig(double[] buckets, List<String> databaseNameAttributes, List<String> virtualNodePeerAttributes,
                               long flushIntervalMillis, long staleAfterMillis) {
        for (int i = 1; i < buckets.length; i++) {
            if (!(buckets[i] > buckets[i - 1])) {
                throw new IllegalArgumentException("latency_histogram_buckets must be ascending: " + Arrays.toString(buckets));
            }
        }
        if (flushIntervalMillis <= 0) throw new IllegalArgumentException("flush interval must be positive: " + flushIntervalMillis + " ms");
        if (staleAfterMillis <= 0) throw new IllegalArgumentException("stale-series time must be positive: " + staleAfterMillis + " ms");
        this.buckets = buckets.clone();
        this.databaseNameAttributes = List.copyOf(databaseNameAttributes);
        this.virtualNodePeerAttributes = List.copyOf(virtualNodePeerAttributes);
        this.flushIntervalMillis = flushIntervalMillis;
        this.staleAfterMillis = staleAfterMillis;
    }

    /** The connector's defaults. */
    public static ServiceGraphConfig defaults() {
        return new ServiceGraphConfig(DEFAULT_BUCKETS, DEFAULT_DATABASE_NAME_ATTRIBUTES, DEFAULT_PEER_ATTRIBUTES, 10_000, 15 * 60_000);
    }

    /** {@code latency_histogram_buckets}. */
    public ServiceGraphConfig withBuckets(Duration... bounds) {
        double[] seconds = new double[bounds.length];
        for (int i = 0; i < bounds.length; i++) seconds[i] = bounds[i].toNanos() / 1e9;
        return new ServiceGraphConfig(seconds, databaseNameAttributes, virtualNodePeerAttributes, flushIntervalMillis, staleAfterMillis);
    }

    /** {@code database_name_attributes}, highest priority first. */
    public ServiceGraphConfig withDatabaseNameAttributes(List<String> attributes) {
        return new ServiceGraphConfig(buckets, attributes, virtualNodePeerAttributes, flushIntervalMillis, staleAfterMillis);
    }

    /** {@code virtual_node_peer_attributes}, highest priority first; empty turns virtual nodes off. */
    public ServiceGraphConfig withVirtualNodePeerAttributes(List<String> attributes) {
        return new ServiceGraphConfig(buckets, databaseNameAttributes, attributes, flushIntervalMillis, staleAfterMillis);
    }

    /** How often, in event time, a series that changed is emitted. */
    public ServiceGraphConfig withFlushInterval(Duration interval) {
        return new ServiceGraphConfig(buckets, databaseNameAttributes, virtualNodePeerAttributes, interval.toMillis(), staleAfterMillis);
    }

    /** After how much event time without a request a series is forgotten. */
    public ServiceGraphConfig withStaleAfter(Duration stale) {
        return new ServiceGraphConfig(buckets, databaseNameAttributes, virtualNodePeerAttributes, flushIntervalMillis, stale.toMillis());
    }

    public double[] buckets() {
        return buckets.clone();
    }

    public List<String> databaseNameAttributes() {
        return databaseNameAttributes;
    }

    public List<String> virtualNodePeerAttributes() {
        return virtualNodePeerAttributes;
    }

    public boolean virtualNodes() {
        return !virtualNodePeerAttributes.isEmpty();
    }

    public long flushIntervalMillis() {
        return flushIntervalMillis;
    }

    public long staleAfterMillis() {
        return staleAfterMillis;
    }
}
