package io.telemetrysuite.traces.graph;

import static io.telemetrysuite.traces.graph.GraphTraces.span;
import static io.telemetrysuite.traces.graph.GraphTraces.trace;
import static io.telemetrysuite.traces.graph.GraphTraces.with;

import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * A known topology for the stage and Prometheus tests: 30 SDK-made checkout traces two seconds apart
 * (every fifth one failing at payment), three messaging requests, two database requests, and a late
 * fragment of a trace (a lone client span) whose event time is long past.
 */
final class KnownTopology {
    static final int CHECKOUTS = 30;
    static final int FAILED_CHECKOUTS = 6;

    /** {@code service-graph.jsonl} for this topology, sorted by client, server, connection type. */
    static final List<String> EXPECTED_LINES = List.of(
            "checkout -> orders database requests=2 failed=0",
            "checkout -> payment requests=30 failed=6",
            "checkout -> unknown virtual_node requests=30 failed=0",
            "frontend -> checkout requests=30 failed=6",
            "frontend -> search virtual_node requests=1 failed=0",
            "orders -> billing messaging_system requests=3 failed=0",
            "user -> frontend virtual_node requests=30 failed=6");

    private KnownTopology() {}

    /** The traces in stream order, the late fragment last; times count from {@code baseEpochNanos}. */
    static List<Trace> traces(long baseEpochNanos) throws Exception {
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < CHECKOUTS; i++) {
            traces.add(GraphTraces.checkout(i, baseEpochNanos + i * 2_000L * GraphTraces.MS, i % 5 == 0));
        }
        long offsetMs = (baseEpochNanos - GraphTraces.T0) / GraphTraces.MS;
        for (int i = 0; i < 3; i++) {
            long at = offsetMs + 61_000 + i * 1_000L;
            traces.add(trace(span("orders", "PRODUCER", "p" + i, "", at, at + 3), span("billing", "CONSUMER", "k" + i, "p" + i, at + 40, at + 90)));
        }
        for (int i = 0; i < 2; i++) {
            long at = offsetMs + 65_000 + i * 1_000L;
            traces.add(trace(with(span("checkout", "CLIENT", "d" + i, "", at, at + 7), "db.name", "orders")));
        }
        Span lone = with(span("frontend", "CLIENT", "c9", "s9", offsetMs + 3_000, offsetMs + 3_500), "peer.service", "search");
        Trace late = trace(lone);
        late.late = true;
        traces.add(late);
        return traces;
    }
}
