package io.telemetrysuite.traces.graph;

import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests of one trace as the OpenTelemetry Collector's {@code servicegraph} connector finds them:
 * each becomes a {@link ServiceGraphEdge} with {@code requests = 1}, its two durations in the
 * {@code *SecondsSum} fields and no histogram arrays yet (they are filled where requests are summed,
 * {@link EdgeTotals#count}, which keeps per-request records small on the network). Pure; the streaming
 * stage sums them.
 *
 * <p>The connector's rules, ported as facts:
 * <ul>
 *   <li>Spans without a service name and spans of kind INTERNAL or UNSPECIFIED take no part.</li>
 *   <li>A CLIENT or PRODUCER span opens the request keyed by its own span id; a SERVER or CONSUMER span
 *       the request keyed by its parent span id. A request is complete, and counted, once it has both a
 *       client and a server service. PRODUCER and CONSUMER set the connection type
 *       {@code messaging_system}, CLIENT and SERVER set it empty; the side seen last wins (spans are
 *       taken in the trace's order, as the connector takes a batch).</li>
 *   <li>A client span carrying one of the database name attributes ({@code db.name} by default; the
 *       resource's value first) is a complete request at once: server = that name, connection type
 *       {@code database}, server duration = client duration. {@code db.system} alone does not make a
 *       database request; it only names a virtual node.</li>
 *   <li>{@code failed} when the client or the server span has status ERROR.</li>
 *   <li>What is still unpaired at the end of the trace expires as in the connector (its store TTL has
 *       passed, since the trace was assembled over a longer wait), with virtual nodes on: connection
 *       type {@code virtual_node}; a server span without a parent gets client {@code user}; a client
 *       span without a server gets the first virtual-node peer attribute of the span
 *       ({@code peer.service}, {@code db.name}, {@code db.system}) or {@code unknown}. A server span
 *       whose parent is set but whose client never came is not counted (the connector only counts it
 *       as an expired edge). The missing side's duration counts as 0 s in its histogram, as the
 *       connector records it.</li>
 * </ul>
 * A late fragment is paired on its own: by the time it arrives its counterparts in the first part of
 * the trace have long expired in the connector's store too, so they were counted as virtual-node
 * edges (or not at all) there as well.
 */
public final class ServiceGraph {
    public static final String USER = "user";
    public static final String UNKNOWN = "unknown";
    public static final String MESSAGING_SYSTEM = "messaging_system";
    public static final String DATABASE = "database";
    public static final String VIRTUAL_NODE = "virtual_node";

    private ServiceGraph() {}

    /** The requests of {@code trace} with the connector's defaults. */
    public static List<ServiceGraphEdge> edges(Trace trace) {
        return edges(trace, ServiceGraphConfig.defaults());
    }

    /** The requests of {@code trace}, one edge per request, stamped with the trace's end (epoch ms). */
    public static List<ServiceGraphEdge> edges(Trace trace, ServiceGraphConfig config) {
        long timestampMillis = endMillis(trace);
        List<ServiceGraphEdge> out = new ArrayList<>();
        Map<String, Pending> open = new LinkedHashMap<>();
        for (Span span : trace.spans) {
            if (span.serviceName == null || span.serviceName.isEmpty()) continue;
            boolean client;
            String connectionType;
            switch (span.kind) {
                case "CLIENT" -> { client = true; connectionType = ""; }
                case "PRODUCER" -> { client = true; connectionType = MESSAGING_SYSTEM; }
                case "SERVER" -> { client = false; connectionType = ""; }
                case "CONSUMER" -> { client = false; connectionType = MESSAGING_SYSTEM; }
                default -> { continue; }
            }
            String key = client ? span.spanId : nullToEmpty(span.parentSpanId);
            Pending p = open.computeIfAbsent(key, Pending::new);
            p.connectionType = connectionType;
            p.failed |= span.isError();
            double seconds = span.durationNanos() / 1e9;
            if (client) {
                p.client = span.serviceName;
                p.clientSeconds = seconds;
                if (config.virtualNodes() && p.peer == null) p.peer = firstSpanAttribute(span, config.virtualNodePeerAttributes());
                String database = firstAttribute(span, config.databaseNameAttributes());
                if (database != null) {
                    p.connectionType = DATABASE;
                    p.server = database;
                    p.serverSeconds = seconds;
                }
            } else {
                p.server = span.serviceName;
                p.serverSeconds = seconds;
            }
            if (p.complete()) {
                out.add(p.toEdge(timestampMillis));
                open.remove(key);
            }
        }
        if (config.virtualNodes()) {
            for (Pending p : open.values()) {
                p.connectionType = VIRTUAL_NODE;
                if (p.client.isEmpty() && p.key.isEmpty()) {
                    p.client = USER;
                    out.add(p.toEdge(timestampMillis));
                }
                if (p.server.isEmpty()) {
                    p.server = p.peer != null ? p.peer : UNKNOWN;
                    out.add(p.toEdge(timestampMillis));
                }
            }
        }
        return out;
    }

    /** The trace's end in epoch ms: its own figure, else its latest span end. */
    static long endMillis(Trace trace) {
        long end = trace.endTimeUnixNano;
        if (end == 0) {
            for (Span span : trace.spans) end = Math.max(end, span.endTimeUnixNano);
        }
        return end / 1_000_000L;
    }

    /** The connector's bucket index: the first bound at or above the value, else the +Inf bucket. */
    static int bucket(double[] bounds, double seconds) {
        int i = 0;
        while (i < bounds.length && bounds[i] < seconds) i++;
        return i;
    }

    private static String firstAttribute(Span span, List<String> keys) {
        for (String key : keys) {
            String value = span.resourceAttributes.get(key);
            if (value == null) value = span.attributes.get(key);
            if (value != null) return value;
        }
        return null;
    }

    // Peer attributes come from the span only, unlike the database name (connector.go: upsertPeerAttributes).
    private static String firstSpanAttribute(Span span, List<String> keys) {
        for (String key : keys) {
            String value = span.attributes.get(key);
            if (value != null) return value;
        }
        return null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A request waiting for its other side, as the connector's store holds it. */
    private static final class Pending {
        final String key;
        String client = "";
        String server = "";
        String connectionType = "";
        boolean failed;
        double clientSeconds;
        double serverSeconds;
        String peer;

        Pending(String key) {
            this.key = key;
        }

        boolean complete() {
            return !client.isEmpty() && !server.isEmpty();
        }

        ServiceGraphEdge toEdge(long timestampMillis) {
            ServiceGraphEdge e = new ServiceGraphEdge();
            e.client = client;
            e.server = server;
            e.connectionType = connectionType;
            e.requests = 1;
            e.failed = failed ? 1 : 0;
            e.failedSeries = failed;
            e.serverSecondsSum = serverSeconds;
            e.clientSecondsSum = clientSeconds;
            e.timestampMillis = timestampMillis;
            return e;
        }
    }
}
