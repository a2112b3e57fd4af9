package io.telemetrysuite.generator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that shapes the synthetic workload and the job that plays it. Public fields with
 * defaults, so tests and the command line change only what they care about; serializable, because
 * the Flink generator function carries a copy to every subtask.
 *
 * <p>The load defaults (60 s period, amplitude 0.8, a 10 s burst of intensity 2 every 5 min, 10%
 * noise) are the synthetic pattern the workload-integration strategy asks for.
 */
public class GeneratorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 2026-01-01T00:00:00Z: a fixed origin, so a given seed always yields the same bytes. */
    public static final long DEFAULT_START_MILLIS = 1_767_225_600_000L;

    public long seed = 42L;
    /** Event time of the first window (epoch ms); the sinusoid, bursts and anomaly schedule count from it. */
    public long startMillis = DEFAULT_START_MILLIS;
    /** Length of one generation window; {@link SyntheticWorkload#tick(long)} produces one. */
    public long tickMillis = 1_000L;

    /** Mean traces per second of event time, per shard. */
    public double tracesPerSecond = 200.0;
    public long periodMillis = 60_000L;
    /** Relative swing of the sinusoid: load goes from (1 - amplitude) to (1 + amplitude) times the mean. */
    public double amplitude = 0.8;
    /** Every interval holds one burst at a seeded random offset. */
    public long burstIntervalMillis = 300_000L;
    public long burstDurationMillis = 10_000L;
    /** Load multiplier during a burst. */
    public double burstIntensity = 2.0;
    /** Standard deviation of the per-window multiplicative load noise. */
    public double noise = 0.1;

    /** Fraction of traces that fail (root span status ERROR, HTTP 5xx). */
    public double errorRate = 0.01;
    /** Fraction of traces slower than their route's slow threshold. */
    public double slowRate = 0.02;
    /** Fraction of login attempts that fail with 401 in normal traffic. */
    public double loginFailureRate = 0.03;

    /**
     * Spans (and log records) per export request, drawn uniformly like a Collector batch; fewer when the
     * batch's 200 ms timeout comes first (items are batched in the order they end).
     */
    public int batchMin = 50;
    public int batchMax = 200;
    /** Interval of system samples and host metrics. */
    public long hostIntervalMillis = 10_000L;

    /** Malformed records added per valid message (e.g. 1/2000). */
    public double malformedRate = 1.0 / 2000;

    /** The anomaly schedule, offsets relative to {@link #startMillis}. */
    public List<AnomalySpec> anomalies = defaultAnomalies();
    /** The schedule repeats with this period; 0 plays it once. */
    public long anomalyCycleMillis = 1_200_000L;

    public boolean emitTraces = true;
    public boolean emitLogs = true;
    public boolean emitMetrics = true;
    public boolean emitRecords = true;

    public String spansTopic = "otlp_spans";
    public String metricsTopic = "otlp_metrics";
    public String logsTopic = "otlp_logs";
    public String recordsTopic = "telemetry_records";

    /**
     * Which of {@link #shardCount} independent generators this is. Each shard draws its own traces;
     * only shard 0 reports hosts (system samples, host metrics) and plays the failed-login sequence,
     * so running several shards does not duplicate per-host series.
     */
    public int shard = 0;
    public int shardCount = 1;

    // What follows is read by GeneratorJob only.

    /** Event time advances this many times faster than the wall clock; 0 generates as fast as allowed. */
    public double speedup = 1.0;
    /**
     * Wall-clock instant at which event time was {@link #startMillis}; 0 means "when the subtask opens".
     * The job's main sets it once, so a restarted subtask resumes where the clock says, not at the start.
     */
    public long wallClockStartMillis = 0L;
    /** Cap on Kafka messages per second over all subtasks; 0 for none. */
    public double maxRecordsPerSecond = 0.0;
    /** Messages the job produces before it finishes. */
    public long count = Long.MAX_VALUE;

    public GeneratorConfig() {}

    /** One entry of the anomaly schedule. */
    public static class AnomalySpec implements Serializable {
        private static final long serialVersionUID = 1L;

        public AnomalyKind kind;
        public String target;
        public long offsetMillis;
        public long durationMillis;
        public double magnitude;

        public AnomalySpec() {}

        public AnomalySpec(AnomalyKind kind, String target, long offsetMillis, long durationMillis, double magnitude) {
            this.kind = kind;
            this.target = target;
            this.offsetMillis = offsetMillis;
            this.durationMillis = durationMillis;
            this.magnitude = magnitude;
        }
    }

    /** One of each kind, spaced so they never overlap within the default 20-minute cycle. */
    public static List<AnomalySpec> defaultAnomalies() {
        List<AnomalySpec> list = new ArrayList<>();
        list.add(new AnomalySpec(AnomalyKind.CPU_PLATEAU, "host-3", 120_000L, 300_000L, 0.95));
        list.add(new AnomalySpec(AnomalyKind.ERROR_BURST, "payment", 480_000L, 30_000L, 1.0));
        list.add(new AnomalySpec(AnomalyKind.HEARTBEAT_STOP, "host-5", 600_000L, 180_000L, 1.0));
        list.add(new AnomalySpec(AnomalyKind.LATENCY_SHIFT, "/api/products", 840_000L, 240_000L, 4.0));
        list.add(new AnomalySpec(AnomalyKind.FAILED_LOGINS, "dana.lee@example.com", 1_110_000L, 18_000L, 5.0));
        return list;
    }

    /** Cycle length of {@link #demoAnomalies()}: the schedule repeats every 15 minutes of a long demo. */
    public static final long DEMO_ANOMALY_CYCLE_MILLIS = 900_000L;

    /**
     * How far in the past the demo's workload starts. The longest hold among the shipped rules is
     * host-memory-high's 5 minutes, so no live workload can fire it within the demo's first two minutes:
     * the demo starts the workload this long ago and replays that history faster than real time. Every
     * demo alert falls within the first 300 s; the rest lets event time pass them by the CEP job's
     * out-of-orderness before the history ends.
     */
    public static final long DEMO_HISTORY_MILLIS = 360_000L;

    /**
     * One anomaly for each rule in {@code cep-rules/}, timed so that every rule fires within the first
     * {@link #DEMO_HISTORY_MILLIS} of the schedule (offsets from its start; alert times of the shipped rules).
     * The anomalies seen in spans and logs, the bulk of the workload, come first, so that their alerts do
     * not wait for the whole history to pass through ingest; those of the host samples, a few a second,
     * come last:
     * <ul>
     *   <li>FAILED_LOGINS of dana.lee@example.com from 200 s: five failures 3 s apart from one address,
     *       login-failures-from-one-address fires at the fifth (about 212 s), failed-logins-then-success at
     *       the success (215 s);
     *   <li>ERROR_BURST on payment from 215 s to 260 s: payment-error-burst fires once 50 calls failed, 10 s to
     *       30 s in depending on the phase of the load;
     *   <li>LATENCY_SHIFT x6 on /api/products from 230 s, after almost 4 minutes of baseline (the rule needs
     *       120 points, two a second at most): products-latency-shift fires 5 s after the first run of
     *       deviating points, usually within 30 s;
     *   <li>HEARTBEAT_STOP on host-5 from 255 s (last sample at 250 s): host-heartbeat-stopped fires at 280 s;
     *   <li>CPU_PLATEAU on host-3 from 170 s: host-cpu-plateau (2 m) fires at 290 s;
     *   <li>MEMORY_PRESSURE on host-2 from 0 s: host-memory-high (5 m) fires at 300 s.
     * </ul>
     */
    public static List<AnomalySpec> demoAnomalies() {
        List<AnomalySpec> list = new ArrayList<>();
        list.add(new AnomalySpec(AnomalyKind.MEMORY_PRESSURE, "host-2", 0L, 330_000L, 0.95));
        list.add(new AnomalySpec(AnomalyKind.CPU_PLATEAU, "host-3", 170_000L, 160_000L, 0.95));
        list.add(new AnomalySpec(AnomalyKind.FAILED_LOGINS, "dana.lee@example.com", 200_000L, 18_000L, 5.0));
        list.add(new AnomalySpec(AnomalyKind.ERROR_BURST, "payment", 215_000L, 45_000L, 1.0));
        list.add(new AnomalySpec(AnomalyKind.LATENCY_SHIFT, "/api/products", 230_000L, 60_000L, 6.0));
        list.add(new AnomalySpec(AnomalyKind.HEARTBEAT_STOP, "host-5", 255_000L, 60_000L, 1.0));
        return list;
    }

    /** A deep copy, so a subtask can set its shard without touching the job's config. */
    public GeneratorConfig copy() {
        GeneratorConfig c = new GeneratorConfig();
        c.seed = seed;
        c.startMillis = startMillis;
        c.tickMillis = tickMillis;
        c.tracesPerSecond = tracesPerSecond;
        c.periodMillis = periodMillis;
        c.amplitude = amplitude;
        c.burstIntervalMillis = burstIntervalMillis;
        c.burstDurationMillis = burstDurationMillis;
        c.burstIntensity = burstIntensity;
        c.noise = noise;
        c.errorRate = errorRate;
        c.slowRate = slowRate;
        c.loginFailureRate = loginFailureRate;
        c.batchMin = batchMin;
        c.batchMax = batchMax;
        c.hostIntervalMillis = hostIntervalMillis;
        c.malformedRate = malformedRate;
        c.anomalies = new ArrayList<>();
        for (AnomalySpec a : anomalies) {
            c.anomalies.add(new AnomalySpec(a.kind, a.target, a.offsetMillis, a.durationMillis, a.magnitude));
        }
        c.anomalyCycleMillis = anomalyCycleMillis;
        c.emitTraces = emitTraces;
        c.emitLogs = emitLogs;
        c.emitMetrics = emitMetrics;
        c.emitRecords = emitRecords;
        c.spansTopic = spansTopic;
        c.metricsTopic = metricsTopic;
        c.logsTopic = logsTopic;
        c.recordsTopic = recordsTopic;
        c.shard = shard;
        c.shardCount = shardCount;
        c.speedup = speedup;
        c.wallClockStartMillis = wallClockStartMillis;
        c.maxRecordsPerSecond = maxRecordsPerSecond;
        c.count = count;
        return c;
    }

    /** Rejects settings the generator cannot honour, with the field's name. */
    public GeneratorConfig validate() {
        require(tickMillis > 0, "tickMillis must be positive");
        require(tracesPerSecond >= 0, "tracesPerSecond must not be negative");
        require(periodMillis > 0, "periodMillis must be positive");
        require(amplitude >= 0 && amplitude <= 1, "amplitude must be in [0, 1]");
        require(burstIntervalMillis > burstDurationMillis && burstDurationMillis >= 0,
                "burstDurationMillis must be in [0, burstIntervalMillis)");
        require(burstIntensity > 0, "burstIntensity must be positive");
        require(noise >= 0, "noise must not be negative");
        require(errorRate >= 0 && errorRate <= 1, "errorRate must be in [0, 1]");
        require(slowRate >= 0 && slowRate <= 1, "slowRate must be in [0, 1]");
        require(loginFailureRate >= 0 && loginFailureRate <= 1, "loginFailureRate must be in [0, 1]");
        require(batchMin > 0 && batchMax >= batchMin, "batchMin must be positive and at most batchMax");
        require(hostIntervalMillis > 0, "hostIntervalMillis must be positive");
        require(malformedRate >= 0 && malformedRate <= 1, "malformedRate must be in [0, 1]");
        require(anomalyCycleMillis >= 0, "anomalyCycleMillis must not be negative");
        for (AnomalySpec a : anomalies) {
            require(a.kind != null && a.target != null && !a.target.isEmpty(), "every anomaly needs a kind and a target");
            require(a.offsetMillis >= 0 && a.durationMillis > 0, "anomaly offsets must not be negative, durations positive");
            require(anomalyCycleMillis == 0 || a.offsetMillis + a.durationMillis <= anomalyCycleMillis,
                    "every anomaly must end within anomalyCycleMillis");
        }
        require(shardCount > 0 && shard >= 0 && shard < shardCount, "shard must be in [0, shardCount)");
        require(speedup >= 0, "speedup must not be negative");
        require(maxRecordsPerSecond >= 0, "maxRecordsPerSecond must not be negative");
        require(count > 0, "count must be positive");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
