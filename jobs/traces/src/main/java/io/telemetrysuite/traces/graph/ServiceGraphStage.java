package io.telemetrysuite.traces.graph;

import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.model.Trace;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The service graph of the trace job: assembled traces (and late fragments) in, the cumulative totals
 * of each Prometheus series of the {@code servicegraph} connector out.
 *
 * <p>Each trace's requests ({@link ServiceGraph#edges}) are keyed by series (client, server, connection
 * type, failed), summed in keyed state, and a series that changed is emitted once per flush interval of
 * event time (10 s by default), stamped with the latest event time it counted: the connector's
 * cumulative counters and histograms, at event time instead of wall time. The end of a bounded input
 * (the final watermark) emits every series' final totals. A request's event time is its trace's
 * stream timestamp, or the trace's end when the stream carries none.
 *
 * <p>An emission holds every request that reached the series before the watermark passed its
 * interval's end, later ones included (at parallelism 2 one input channel may run ahead). A request
 * older than the series' last emission (a late fragment, a lagging channel) is still counted, and the
 * next emission is stamped 1 ms after the last one rather than at an earlier or equal time, because
 * Prometheus refuses a second value at a timestamp it holds.
 *
 * <p>Like the connector, a series without requests for 15 minutes (of event time) is forgotten; if it
 * comes back its counters start again from zero, which Prometheus' {@code rate} and {@code increase}
 * read as a counter reset.
 */
public final class ServiceGraphStage {
    public static final String PAIRING_UID = "service-graph-pairing";
    public static final String SERIES_UID = "service-graph-series";

    private ServiceGraphStage() {}

    /** With the connector's defaults. */
    public static DataStream<ServiceGraphEdge> build(DataStream<Trace> traces) {
        return build(traces, ServiceGraphConfig.defaults());
    }

    public static DataStream<ServiceGraphEdge> build(DataStream<Trace> traces, ServiceGraphConfig config) {
        return seriesTotals(traces.process(new PairRequests(config)).uid(PAIRING_UID).name("Service graph: pair spans"), config);
    }

    /** The second half: per-request records (as {@link ServiceGraph#edges} makes them) to series totals. */
    static DataStream<ServiceGraphEdge> seriesTotals(DataStream<ServiceGraphEdge> requests, ServiceGraphConfig config) {
        return requests.keyBy(EdgeTotals::seriesKey)
                .process(new SeriesTotals(config)).uid(SERIES_UID).name("Service graph: series totals");
    }

    /** One record per request of each trace, stamped with the trace's event time. */
    static final class PairRequests extends ProcessFunction<Trace, ServiceGraphEdge> {
        private static final long serialVersionUID = 1L;
        private final ServiceGraphConfig config;

        PairRequests(ServiceGraphConfig config) {
            this.config = config;
        }

        @Override
        public void processElement(Trace trace, Context ctx, Collector<ServiceGraphEdge> out) {
            Long timestamp = ctx.timestamp();
            // A record emitted at the end of input may carry the final watermark's time, which is no event time.
            boolean usable = timestamp != null && timestamp != Long.MAX_VALUE && timestamp != Long.MIN_VALUE;
            for (ServiceGraphEdge edge : ServiceGraph.edges(trace, config)) {
                if (usable) edge.timestampMillis = timestamp;
                out.collect(edge);
            }
        }
    }

    /**
     * A series' cumulative totals, emitted at most once per flush interval of event time, and
     * forgotten after the stale time without requests.
     */
    static final class SeriesTotals extends KeyedProcessFunction<String, ServiceGraphEdge, ServiceGraphEdge> {
        private static final long serialVersionUID = 1L;
        private final long flushIntervalMillis;
        private final long staleAfterMillis;
        private final double[] bounds;
        private transient ValueState<ServiceGraphEdge> totals;
        private transient ValueState<Long> emitAt;
        private transient ValueState<Long> lastEmitted;
        private transient ValueState<Long> forgetAt;

        SeriesTotals(ServiceGraphConfig config) {
            this.flushIntervalMillis = config.flushIntervalMillis();
            this.staleAfterMillis = config.staleAfterMillis();
            this.bounds = config.buckets();
        }

        @Override
        public void open(OpenContext openContext) {
            totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", ServiceGraphEdge.class));
            emitAt = getRuntimeContext().getState(new ValueStateDescriptor<>("emitAt", Types.LONG));
            lastEmitted = getRuntimeContext().getState(new ValueStateDescriptor<>("lastEmitted", Types.LONG));
            forgetAt = getRuntimeContext().getState(new ValueStateDescriptor<>("forgetAt", Types.LONG));
        }

        @Override
        public void processElement(ServiceGraphEdge request, Context ctx, Collector<ServiceGraphEdge> out) throws Exception {
            totals.update(EdgeTotals.count(totals.value(), request, bounds));
            if (emitAt.value() == null) {
                // On the interval's boundary, so all series of a period are emitted by the same watermark.
                long start = Math.floorDiv(request.timestampMillis, flushIntervalMillis) * flushIntervalMillis;
                long at = start > Long.MAX_VALUE - flushIntervalMillis ? Long.MAX_VALUE : start + flushIntervalMillis;
                ctx.timerService().registerEventTimeTimer(at);
                emitAt.update(at);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceGraphEdge> out) throws Exception {
            Long emit = emitAt.value();
            if (emit != null && emit == timestamp) {
                ServiceGraphEdge total = totals.value();
                ServiceGraphEdge emitted = EdgeTotals.copy(total);
                // Prometheus refuses a second, different value at a timestamp it already holds for a
                // series, which a late trace (older than the latest counted) would otherwise cause.
                Long last = lastEmitted.value();
                if (last != null && emitted.timestampMillis <= last) emitted.timestampMillis = last + 1;
                out.collect(emitted);
                lastEmitted.update(emitted.timestampMillis);
                emitAt.clear();
                long forget = total.timestampMillis + staleAfterMillis;
                Long previous = forgetAt.value();
                if (previous == null || previous < forget) {
                    ctx.timerService().registerEventTimeTimer(forget);
                    forgetAt.update(forget);
                }
            }
            Long forget = forgetAt.value();
            if (forget != null && forget == timestamp && emitAt.value() == null) {
                ServiceGraphEdge total = totals.value();
                if (total.timestampMillis + staleAfterMillis <= timestamp) {
                    totals.clear();
                    lastEmitted.clear();
                    forgetAt.clear();
                }
            }
        }
    }
}
