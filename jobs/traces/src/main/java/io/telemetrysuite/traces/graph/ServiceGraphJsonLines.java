package io.telemetrysuite.traces.graph;

import io.telemetrysuite.model.ServiceGraphEdge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The lines of {@code service-graph.jsonl} for {@code ./telemetry run traces}: one per edge (client,
 * server, connection type) with its final {@code requests} and {@code failed}, both Prometheus series of
 * the edge (failed and not) added together, histograms and duration sums included.
 *
 * <pre>{@code
 * ServiceGraphJsonLines.finalEdges(ServiceGraphStage.build(traces))   // or ServiceGraphSinks.attach(...)
 *         .sinkTo(new JsonLinesFileSink<>(dir.resolve(ServiceGraphJsonLines.FILE)))
 *         .setParallelism(1).uid("traces-sink-service-graph").name("Service graph sink");
 * }</pre>
 *
 * A series' totals are cumulative, so its last emission is its final value. A series is emitted only
 * when it counted more requests, so an emission with no more requests than the one before means the
 * series was forgotten (stale) and started again: what it had counted is carried over.
 */
public final class ServiceGraphJsonLines {
    public static final String FILE = "service-graph.jsonl";
    public static final String UID = "service-graph-final-edges";

    private ServiceGraphJsonLines() {}

    /** The edges' final totals, emitted at the end of a bounded input (the final watermark), one per edge. */
    public static DataStream<ServiceGraphEdge> finalEdges(DataStream<ServiceGraphEdge> series) {
        return series.keyBy(EdgeTotals::edgeKey).process(new FinalEdge()).uid(UID).name("Service graph: final edges");
    }

    /** The same from the stage's collected output (in emission order per series), sorted by client, server, type. */
    public static List<ServiceGraphEdge> finalEdges(Iterable<ServiceGraphEdge> emitted) {
        Map<String, Series> series = new LinkedHashMap<>();
        for (ServiceGraphEdge e : emitted) series.computeIfAbsent(EdgeTotals.seriesKey(e), k -> new Series()).see(e);
        Map<String, ServiceGraphEdge> edges = new LinkedHashMap<>();
        for (Series s : series.values()) {
            ServiceGraphEdge total = s.total();
            ServiceGraphEdge edge = edges.get(EdgeTotals.edgeKey(total));
            if (edge == null) {
                edge = EdgeTotals.copy(total);
                edge.failedSeries = false;
                edges.put(EdgeTotals.edgeKey(total), edge);
            } else {
                EdgeTotals.add(edge, total);
            }
        }
        List<ServiceGraphEdge> out = new ArrayList<>(edges.values());
        out.sort(Comparator.comparing((ServiceGraphEdge e) -> e.client).thenComparing(e -> e.server).thenComparing(e -> e.connectionType));
        return out;
    }

    /** One series' emissions: the latest, plus what earlier lives of the series counted before a reset. */
    private static final class Series {
        ServiceGraphEdge carried;
        ServiceGraphEdge latest;

        void see(ServiceGraphEdge e) {
            if (latest != null && e.requests <= latest.requests) {
                if (carried == null) carried = EdgeTotals.copy(latest); else EdgeTotals.add(carried, latest);
            }
            latest = e;
        }

        ServiceGraphEdge total() {
            ServiceGraphEdge t = EdgeTotals.copy(latest);
            if (carried != null) EdgeTotals.add(t, carried);
            return t;
        }
    }

    /** Keyed by edge: the emissions of its (at most two) series until the end of input, then the sum. */
    static final class FinalEdge extends KeyedProcessFunction<String, ServiceGraphEdge, ServiceGraphEdge> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<ServiceGraphEdge> failedCarried;
        private transient ValueState<ServiceGraphEdge> failedLatest;
        private transient ValueState<ServiceGraphEdge> okCarried;
        private transient ValueState<ServiceGraphEdge> okLatest;

        @Override
        public void open(OpenContext openContext) {
            failedCarried = getRuntimeContext().getState(new ValueStateDescriptor<>("failedCarried", ServiceGraphEdge.class));
            failedLatest = getRuntimeContext().getState(new ValueStateDescriptor<>("failedLatest", ServiceGraphEdge.class));
            okCarried = getRuntimeContext().getState(new ValueStateDescriptor<>("okCarried", ServiceGraphEdge.class));
            okLatest = getRuntimeContext().getState(new ValueStateDescriptor<>("okLatest", ServiceGraphEdge.class));
        }

        @Override
        public void processElement(ServiceGraphEdge e, Context ctx, Collector<ServiceGraphEdge> out) throws Exception {
            if (failedLatest.value() == null && okLatest.value() == null) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            ValueState<ServiceGraphEdge> latest = e.failedSeries ? failedLatest : okLatest;
            ValueState<ServiceGraphEdge> carried = e.failedSeries ? failedCarried : okCarried;
            ServiceGraphEdge previous = latest.value();
            if (previous != null && e.requests <= previous.requests) {
                ServiceGraphEdge c = carried.value();
                if (c == null) c = EdgeTotals.copy(previous); else EdgeTotals.add(c, previous);
                carried.update(c);
            }
            // A copy: with object reuse on, heap state must not hold the instance the runtime hands in.
            latest.update(EdgeTotals.copy(e));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceGraphEdge> out) throws Exception {
            ServiceGraphEdge edge = null;
            for (ValueState<ServiceGraphEdge> part : List.of(okLatest, okCarried, failedLatest, failedCarried)) {
                ServiceGraphEdge e = part.value();
                if (e == null) continue;
                if (edge == null) {
                    edge = EdgeTotals.copy(e);
                    edge.failedSeries = false;
                } else {
                    EdgeTotals.add(edge, e);
                }
                part.clear();
            }
            if (edge != null) out.collect(edge);
        }
    }
}
