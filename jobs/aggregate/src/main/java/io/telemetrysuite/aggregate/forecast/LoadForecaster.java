package io.telemetrysuite.aggregate.forecast;

import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.Forecast;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Load forecasts per service and per tenant from the final aggregates at one resolution: predicted
 * requests (services and tenants), CPU and memory (tenants) for the next {@code horizonSteps} windows,
 * from a robust additive {@link HoltWinters} with 95 % prediction intervals.
 *
 * <ul>
 *   <li>Services: requests = the window's count of {@code SERVER} and {@code CONSUMER} spans (the
 *       requests the service received; its client and internal spans are not load on it), summed over
 *       span names and routes. Span aggregates carry no CPU or memory, so services get requests only.
 *   <li>Tenants: requests = the workload records' count, summed over routes; CPU and memory = the
 *       records' {@code avgCpuPercent} and {@code avgMemoryBytes}, averaged over routes weighted by count.
 * </ul>
 *
 * <p>A subject's aggregates of one window arrive together (the final-window operator emits them all
 * at the same event time, end + allowed lateness), so each window is summed in keyed state and
 * appended to the history by an event-time timer at that time, once all its parts are in. Windows
 * without aggregates count as zero requests; CPU and memory keep their last value there (an average
 * over no records is undefined, and the process does not vanish when it is idle for a minute).
 * Aggregates of windows at or before the newest one in the history (or not on its grid) are ignored.
 *
 * <p>After {@code 2 × seasonPoints} windows, and then every {@code refitEvery} windows, the model is
 * refitted on the last {@code historySeasons × seasonPoints} windows and forecasts for 1 …
 * {@code horizonSteps} windows ahead are emitted. Every quantity is non-negative, so predictions and
 * bounds are clipped at zero.
 */
public class LoadForecaster extends KeyedProcessFunction<String, Aggregate, Forecast> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "aggregate-forecaster";
    public static final String MODEL = "holt-winters";
    public static final String SERVICE = "service";
    public static final String TENANT = "tenant";
    public static final String REQUESTS = "requests";
    public static final String CPU_PERCENT = "cpuPercent";
    public static final String MEMORY_BYTES = "memoryBytes";
    /** Standard normal quantile of a two-sided 95 % interval. */
    public static final double Z_95 = 1.959963984540054;

    private static final char SEPARATOR = '\u001f';

    private final ForecastConfig config;
    private final String resolution;
    private final long resolutionMillis;
    private transient ValueState<LoadHistory> history;
    private transient MapState<Long, PendingWindow> pending;

    /** One window's sums for a subject, while its parts come in. */
    public static class PendingWindow {
        public long windowEnd;
        /** Event time at which the window is complete and is appended. */
        public long readyAt;
        public double requests;
        public double workloadCount;
        public double cpuPercentTimesCount;
        public double memoryBytesTimesCount;

        public PendingWindow() {}
    }

    public LoadForecaster(ForecastConfig config) {
        this.config = config.validate();
        this.resolution = config.resolutionLabel();
        this.resolutionMillis = config.resolution.toMillis();
    }

    /**
     * Forecasts from the job's final aggregates (every resolution and signal may be in the stream; the
     * forecaster picks the configured resolution's span and workload aggregates).
     */
    public static DataStream<Forecast> forecasts(DataStream<Aggregate> finalAggregates, ForecastConfig config) {
        config.validate();
        String resolution = config.resolutionLabel();
        return finalAggregates
                .filter(a -> isInput(a, resolution))
                .uid("aggregate-forecaster-input")
                .name("Forecast input " + resolution)
                .keyBy(LoadForecaster::subjectKey, Types.STRING)
                .process(new LoadForecaster(config), TypeInformation.of(Forecast.class))
                .uid(UID)
                .name("Load forecast " + resolution + " (Holt-Winters, " + config.seasonPoints + "-window season)");
    }

    /** True for the aggregates the forecaster reads: at the resolution, final, a service's received spans or a tenant's workload. */
    public static boolean isInput(Aggregate a, String resolution) {
        if (!resolution.equals(a.resolution) || a.update) return false;
        if ("span".equals(a.signal)) return !a.serviceName.isEmpty() && ("SERVER".equals(a.kind) || "CONSUMER".equals(a.kind));
        return "workload".equals(a.signal) && !a.tenant.isEmpty();
    }

    /** {@code service␟name} or {@code tenant␟name}. */
    public static String subjectKey(Aggregate a) {
        return "span".equals(a.signal) ? SERVICE + SEPARATOR + a.serviceName : TENANT + SEPARATOR + a.tenant;
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("history", LoadHistory.class));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, TypeInformation.of(PendingWindow.class)));
    }

    @Override
    public void processElement(Aggregate a, Context ctx, Collector<Forecast> out) throws Exception {
        LoadHistory h = history.value();
        if (h != null && a.windowEnd <= h.lastWindowEnd) return; // too late: that window is in the history already
        PendingWindow w = pending.get(a.windowEnd);
        if (w == null) {
            w = new PendingWindow();
            w.windowEnd = a.windowEnd;
            w.readyAt = ctx.timestamp() != null ? ctx.timestamp() : a.windowEnd - 1;
            ctx.timerService().registerEventTimeTimer(w.readyAt);
        }
        if ("span".equals(a.signal)) {
            w.requests += a.count;
        } else {
            w.requests += a.count;
            w.workloadCount += a.count;
            w.cpuPercentTimesCount += a.avgCpuPercent * a.count;
            w.memoryBytesTimesCount += a.avgMemoryBytes * a.count;
        }
        pending.put(a.windowEnd, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Forecast> out) throws Exception {
        List<PendingWindow> ready = new ArrayList<>();
        for (Iterator<Map.Entry<Long, PendingWindow>> it = pending.iterator(); it.hasNext(); ) {
            PendingWindow w = it.next().getValue();
            if (w.readyAt <= timestamp) {
                ready.add(w);
                it.remove();
            }
        }
        if (ready.isEmpty()) return;
        ready.sort((x, y) -> Long.compare(x.windowEnd, y.windowEnd));

        LoadHistory h = history.value();
        if (h == null) {
            String key = ctx.getCurrentKey();
            int cut = key.indexOf(SEPARATOR);
            h = LoadHistory.create(key.substring(0, cut), key.substring(cut + 1), config.capacity());
        }
        for (PendingWindow w : ready) append(h, w);
        if (h.size >= 2 * config.seasonPoints && (!h.fitted || h.sinceFit >= config.refitEvery)) {
            emit(h, out);
            h.fitted = true;
            h.sinceFit = 0;
        }
        history.update(h);
    }

    private void append(LoadHistory h, PendingWindow w) {
        if (h.size > 0) {
            long steps = (w.windowEnd - h.lastWindowEnd) / resolutionMillis;
            if (w.windowEnd <= h.lastWindowEnd || (w.windowEnd - h.lastWindowEnd) % resolutionMillis != 0) return;
            // Windows with no aggregates at all: no requests; CPU and memory as last seen.
            long missing = Math.min(steps - 1, h.requests.length);
            double cpu = h.newest(h.cpuPercent);
            double memory = h.newest(h.memoryBytes);
            for (long i = 0; i < missing; i++) h.append(0, cpu, memory);
        }
        double cpu = w.workloadCount > 0 ? w.cpuPercentTimesCount / w.workloadCount : h.newest(h.cpuPercent);
        double memory = w.workloadCount > 0 ? w.memoryBytesTimesCount / w.workloadCount : h.newest(h.memoryBytes);
        h.append(w.requests, cpu, memory);
        h.lastWindowEnd = w.windowEnd;
    }

    private void emit(LoadHistory h, Collector<Forecast> out) {
        emit(h, REQUESTS, h.requests, out);
        if (TENANT.equals(h.signal)) {
            emit(h, CPU_PERCENT, h.cpuPercent, out);
            emit(h, MEMORY_BYTES, h.memoryBytes, out);
        }
    }

    private void emit(LoadHistory h, String quantity, double[] series, Collector<Forecast> out) {
        HoltWinters model = HoltWinters.fit(h.ordered(series), config.seasonPoints);
        for (int step = 1; step <= config.horizonSteps; step++) {
            double predicted = model.forecast(step);
            double halfWidth = model.intervalHalfWidth(step, Z_95);
            Forecast f = new Forecast();
            f.signal = h.signal;
            if (SERVICE.equals(h.signal)) f.serviceName = h.name; else f.tenant = h.name;
            f.quantity = quantity;
            f.resolution = resolution;
            f.issuedAt = h.lastWindowEnd;
            f.targetTime = h.lastWindowEnd + step * resolutionMillis;
            f.horizonSteps = step;
            f.predicted = Math.max(0, predicted);
            f.lower = Math.max(0, predicted - halfWidth);
            f.upper = Math.max(0, predicted + halfWidth);
            f.model = MODEL;
            f.alpha = model.alpha();
            f.beta = model.beta();
            f.gamma = model.gamma();
            f.residualStdDev = model.residualStdDev();
            f.historyPoints = h.size;
            out.collect(f);
        }
    }
}
