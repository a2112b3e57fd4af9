package io.telemetrysuite.cli.bench;

import io.telemetrysuite.cep.CepConfig;
import io.telemetrysuite.cep.CepJob;
import io.telemetrysuite.cep.compile.Alerts;
import io.telemetrysuite.cep.compile.RuleEvent;
import io.telemetrysuite.cep.compile.RuleSelector;
import io.telemetrysuite.cep.rule.Condition;
import io.telemetrysuite.cep.rule.EventMatch;
import io.telemetrysuite.cep.rule.Operator;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.SequenceStep;
import io.telemetrysuite.cep.rule.Severity;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./telemetry bench cep}: 20 rules (four of each kind) over 10,000 keys, through the CEP job's
 * topology ({@link CepJob#buildTopology}) in a MiniCluster, beside a plain-Java loop that evaluates the
 * same 20 rules on the same events in one thread; and the delay from the moment the watermark passes
 * an alert's event time to the alert leaving the rule operators.
 *
 * <p>Events are pre-generated {@link WorkloadRecord}s in one shared array read by a FLIP-27
 * {@link DataGeneratorSource} (as {@code bench aggregate} does), laid out per source subtask so each
 * covers the whole event-time range in order. The source records the wall-clock time at which it hands
 * out each event, so the alert delay is measured from when the last lane's event past the alert's time
 * plus the out-of-orderness was emitted (the watermark, up to one auto-watermark interval later) to when
 * the alert reaches the sink in the same JVM: to the operator output, not through Kafka.
 */
public final class CepBenchmark {
    static final int KEYS = 10_000;
    /** Event-time rate: every key sends about one event a second. */
    static final long EVENTS_PER_EVENT_SECOND = 10_000;
    static final long MAX_JITTER_MILLIS = 1_000;
    private static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String[] ROUTES = {"/login", "/cart", "/checkout", "/payment", "/api/products", "/search"};

    private static volatile WorkloadRecord[] current = new WorkloadRecord[0];
    private static volatile long[] emittedNanos = new long[0];
    private static final ConcurrentLinkedQueue<long[]> ALERTS = new ConcurrentLinkedQueue<>();
    /** Alerts per kind and status ({@code count firing}), to show how rarely the rules fire. */
    private static final Map<String, LongAdder> ALERTS_BY_KIND = new ConcurrentSkipListMap<>();

    private final long events;
    private final int parallelism;
    private final CepConfig config = new CepConfig();

    public CepBenchmark(long events, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be at least 1");
        this.events = Math.max(parallelism, events / parallelism * parallelism);
        this.parallelism = parallelism;
        if (this.events > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("--events: at most ~2 billion");
    }

    public String run() throws Exception {
        List<Rule> rules = rules();
        int warmupEvents = (int) Math.max(parallelism, events / 5 / parallelism * parallelism);
        WorkloadRecord[] warmup = generate(warmupEvents, parallelism);
        WorkloadRecord[] records = generate((int) events, parallelism);
        System.out.printf("cep benchmark: %,d workload records in memory, %,d keys, %d rules (four of each kind), %,d events/s of event time"
                + " (%,d s), parallelism %d%n", events, KEYS, rules.size(), EVENTS_PER_EVENT_SECOND, events / EVENTS_PER_EVENT_SECOND, parallelism);

        current = warmup;
        emittedNanos = new long[warmup.length];
        topology(rules, warmupEvents);
        plainJava(rules, warmup);

        current = records;
        emittedNanos = new long[records.length];
        ALERTS.clear();
        ALERTS_BY_KIND.clear();
        JobExecutionResult result = topology(rules, events);
        long[] delays = delays(records);
        long alertsOut = ALERTS.size();
        current = new WorkloadRecord[0];

        long start = System.nanoTime();
        long loopAlerts = plainJava(rules, records);
        double loopSeconds = (System.nanoTime() - start) / 1e9;

        double rate = events / (result.getNetRuntime() / 1000.0);
        double loopRate = events / loopSeconds;
        System.out.printf("  CEP topology, MiniCluster:           %,12.0f events/s  (net runtime %,d ms, %,d alerts)%n", rate,
                result.getNetRuntime(), alertsOut);
        System.out.printf("  plain-Java loop, one thread:         %,12.0f events/s  (%,.0f ms, %,d alerts, approximate semantics)%n", loopRate, loopSeconds * 1000,
                loopAlerts);
        System.out.printf("  CEP alerts by kind: %s (%,d before the final watermark; the rest are heartbeats and triggers the end"
                + " of the input leaves open)%n", ALERTS_BY_KIND, delays.length);
        if (delays.length > 0) {
            System.out.printf("  alert delay after its watermark passed (to the operator output, %,d alerts before the final watermark):"
                    + " p50 %,d ms, p99 %,d ms%n", delays.length, percentile(delays, 0.50), percentile(delays, 0.99));
        }
        return String.format("cep: %.0f events/s, baseline %.0f events/s, ratio %.2f", rate, loopRate, rate / loopRate);
    }

    private JobExecutionResult topology(List<Rule> rules, long n) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, IngestJob.baseConfiguration());
        Map<Signal, DataStream<?>> in = new EnumMap<>(Signal.class);
        in.put(Signal.WORKLOAD, env.fromSource(new DataGeneratorSource<>(new SharedRecords(), n, TypeInformation.of(WorkloadRecord.class)),
                WatermarkStrategy.noWatermarks(), "Workload in memory").setParallelism(parallelism));
        CepJob.buildTopology(in, rules, config).sinkTo(new DelaySink()).name("Alert delays");
        return env.execute("cep benchmark");
    }

    /** Per alert: wall-clock arrival minus when the watermark could first pass its event time. */
    private long[] delays(WorkloadRecord[] records) {
        int perLane = records.length / parallelism;
        // Per lane, the largest event time handed out so far: monotone, so "the first record at or past
        // t" is a binary search on it.
        long[][] maxSoFar = new long[parallelism][perLane];
        for (int lane = 0; lane < parallelism; lane++) {
            long max = Long.MIN_VALUE;
            for (int j = 0; j < perLane; j++) {
                max = Math.max(max, records[lane * perLane + j].timestampMillis);
                maxSoFar[lane][j] = max;
            }
        }
        List<Long> out = new ArrayList<>();
        for (long[] alert : ALERTS) {
            long due = alert[0] + config.maxOutOfOrderness.toMillis() + 1;
            long passed = Long.MIN_VALUE;
            boolean everyLane = true;
            for (int lane = 0; lane < parallelism && everyLane; lane++) {
                int j = firstAtOrAfter(maxSoFar[lane], due);
                if (j < 0) everyLane = false; // decided by the final watermark, not by event time passing
                else passed = Math.max(passed, emittedNanos[lane * perLane + j]);
            }
            if (everyLane && passed > 0) out.add(Math.max(0, (alert[1] - passed) / 1_000_000L));
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static int firstAtOrAfter(long[] monotone, long time) {
        int lo = 0, hi = monotone.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (monotone[mid] >= time) hi = mid; else lo = mid + 1;
        }
        return lo == monotone.length ? -1 : lo;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /**
     * The baseline: the same rules, each event selected once per rule as the job does ({@link RuleSelector#select}),
     * then per-kind state in hash maps, in arrival order (no event-time sorting, no watermarks, no state
     * backend, no serialization). Returns how many alerts it raised.
     */
    static long plainJava(List<Rule> rules, WorkloadRecord[] records) {
        List<List<String>> templates = rules.stream().map(Alerts::extraAttributes).toList();
        List<Map<String, long[]>> state = new ArrayList<>();
        List<Map<String, ArrayDeque<Long>>> windows = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            state.add(new HashMap<>());
            windows.add(new HashMap<>());
        }
        long alerts = 0;
        for (WorkloadRecord record : records) {
            for (int r = 0; r < rules.size(); r++) {
                Rule rule = rules.get(r);
                RuleEvent e = RuleSelector.select(rule, templates.get(r), Signal.WORKLOAD, record);
                if (e == null) continue;
                long[] s = state.get(r).computeIfAbsent(e.key, k -> new long[] {-1, 0, -1, 0, 0, 0});
                switch (rule.kind) {
                    case THRESHOLD -> alerts += held(s, e.has(RuleEvent.HOLDS), e.timestamp, rule.forDuration.toMillis());
                    case COUNT -> {
                        ArrayDeque<Long> window = windows.get(r).computeIfAbsent(e.key, k -> new ArrayDeque<>());
                        window.addLast(e.timestamp);
                        while (e.timestamp - window.peekFirst() >= rule.within.toMillis()) window.removeFirst();
                        if (window.size() >= rule.count) {
                            alerts++;
                            window.clear();
                        }
                    }
                    case SEQUENCE -> {
                        // s[0]: next step, s[2]: start time
                        if (s[0] > 0 && e.timestamp - s[2] >= rule.within.toMillis()) s[0] = 0;
                        if (e.has(1 << (int) Math.max(0, s[0]))) {
                            if (s[0] <= 0) s[2] = e.timestamp;
                            s[0] = Math.max(0, s[0]) + 1;
                            if (s[0] == rule.steps.size()) {
                                alerts++;
                                s[0] = 0;
                            }
                        } else if (rule.strict) {
                            s[0] = 0;
                        }
                    }
                    case ABSENCE -> {
                        if (rule.match != null) {
                            // s[2]: last event time, s[1]: firing
                            if (s[2] >= 0 && e.timestamp - s[2] > rule.forDuration.toMillis()) alerts += 2; // fired and resolved
                            s[2] = Math.max(s[2], e.timestamp);
                        } else {
                            // s[2]: pending trigger time
                            if (s[2] >= 0 && e.timestamp - s[2] >= rule.within.toMillis()) {
                                alerts++;
                                s[2] = -1;
                            }
                            if (e.has(RuleEvent.EXPECT)) s[2] = -1;
                            if (e.has(RuleEvent.AFTER) && s[2] < 0) s[2] = e.timestamp;
                        }
                    }
                    case BASELINE -> {
                        // s[3..5]: count, sum, sum of squares (as double bits); a running window is approximated by all history.
                        double n = s[3], sum = Double.longBitsToDouble(s[4]), squares = Double.longBitsToDouble(s[5]);
                        boolean deviates = false;
                        if (n >= rule.minSamples && n > 1) {
                            double mean = sum / n;
                            double sd = Math.sqrt(Math.max(0, squares / n - mean * mean));
                            deviates = sd > 0 && Math.abs(e.value - mean) > rule.deviation * sd;
                        }
                        if (!deviates) {
                            s[3]++;
                            s[4] = Double.doubleToRawLongBits(sum + e.value);
                            s[5] = Double.doubleToRawLongBits(squares + e.value * e.value);
                        }
                        alerts += held(s, deviates, e.timestamp, rule.forDuration.toMillis());
                    }
                }
            }
        }
        for (int r = 0; r < rules.size(); r++) {
            // The end of the input flushes every heartbeat and every trigger still waiting for its follow-up.
            Rule rule = rules.get(r);
            if (rule.kind == RuleKind.ABSENCE && rule.match != null) alerts += state.get(r).size();
            if (rule.kind == RuleKind.ABSENCE && rule.match == null) alerts += state.get(r).values().stream().filter(s -> s[2] >= 0).count();
        }
        return alerts;
    }

    /** s[0]: hold start or -1, s[1]: firing. Returns the alerts raised (0 or 1). */
    private static int held(long[] s, boolean holds, long time, long forMillis) {
        if (holds) {
            if (s[0] < 0) s[0] = time;
            if (s[1] == 0 && time - s[0] >= forMillis) {
                s[1] = 1;
                return 1;
            }
            return 0;
        }
        int resolved = s[1] == 1 ? 1 : 0;
        s[0] = -1;
        s[1] = 0;
        return resolved;
    }

    /**
     * Four rules of each kind over the workload records, keyed by user, tuned as an on-call engineer
     * would tune them: they stay quiet on the normal workload and fire on the few users that
     * {@link #generate} makes misbehave (and on a rare unlucky normal user).
     */
    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        double[] limits = {800, 1000, 1200, 1500};
        for (int i = 0; i < 4; i++) {
            Rule r = rule("slow-" + i, RuleKind.THRESHOLD, match());
            r.condition = new Condition("durationMs", Operator.GT, limits[i]);
            r.forDuration = Duration.ofSeconds(3 + i);
            rules.add(r);
        }
        for (int i = 0; i < 4; i++) {
            Rule r = rule("errors-" + i, RuleKind.COUNT, match("status", "error"));
            r.count = 4 + i;
            r.within = Duration.ofSeconds(10 + 10L * i);
            rules.add(r);
        }
        // Failed logins, checkouts and payments: steps select error events on one route only.
        String[][] sequences = {{"/login", "/login", "/login"}, {"/checkout", "/checkout"}, {"/payment", "/payment"},
                {"/login", "/login", "/login", "/login"}};
        for (int i = 0; i < 4; i++) {
            Rule r = rule("failing-" + i, RuleKind.SEQUENCE, null);
            List<SequenceStep> steps = new ArrayList<>();
            for (String route : sequences[i]) steps.add(new SequenceStep(match("route", route, "status", "error"), null));
            r.steps = steps;
            r.within = Duration.ofSeconds(30);
            r.strict = i % 2 == 1;
            rules.add(r);
        }
        for (int i = 0; i < 2; i++) {
            Rule r = rule("silent-" + i, RuleKind.ABSENCE, match());
            r.forDuration = Duration.ofSeconds(20 + 10L * i);
            rules.add(r);
        }
        // A failed checkout (payment) that the user does not retry successfully within 30 s.
        String[] retried = {"/checkout", "/payment"};
        for (int i = 0; i < 2; i++) {
            Rule r = rule("not-retried-" + i, RuleKind.ABSENCE, null);
            r.after = match("route", retried[i], "status", "error");
            r.expect = match("route", retried[i], "status", "ok");
            r.within = Duration.ofSeconds(30);
            rules.add(r);
        }
        String[] fields = {"durationMs", "responseSizeBytes", "cpuPercent", "memoryBytes"};
        for (int i = 0; i < 4; i++) {
            Rule r = rule("shift-" + i, RuleKind.BASELINE, match());
            r.field = fields[i];
            r.baseline = Duration.ofMinutes(5);
            r.deviation = 4;
            r.forDuration = Duration.ofSeconds(5);
            r.minSamples = 20;
            rules.add(r);
        }
        return rules;
    }

    private static Rule rule(String id, RuleKind kind, EventMatch match) {
        Rule r = new Rule();
        r.id = id;
        r.kind = kind;
        r.severity = Severity.WARNING;
        r.match = match;
        r.by = List.of("user.id");
        return r;
    }

    private static EventMatch match(String... fieldValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldValues.length; i += 2) fields.put(fieldValues[i], fieldValues[i + 1]);
        return new EventMatch(Signal.WORKLOAD, fields, Map.of());
    }

    /**
     * {@code n} records, deterministic: 10,000 users, event time at {@link #EVENTS_PER_EVENT_SECOND} with up
     * to {@link #MAX_JITTER_MILLIS} of out-of-orderness, 2 % errors, log-normal durations (median 50 ms);
     * laid out in {@code lanes} time-ordered blocks. A few users misbehave, so the rules have something
     * rare to find, repeating every minute of event time so that short runs see each of them:
     * <ul>
     *   <li>every 199th user is slow (median 2 s) for 10 s of every 30 (thresholds, the durationMs baseline);
     *   <li>every 211th user fails 60 % of its requests for 10 s of every minute (counts, sequences, not-retried);
     *   <li>every 101st user's CPU jumps from 10–15 % to 40 % for 20 s of every minute (the cpuPercent baseline);
     *   <li>every 307th user stops sending after 25 s (heartbeats); its events go to the next user.
     * </ul>
     */
    static WorkloadRecord[] generate(int n, int lanes) {
        SplittableRandom random = new SplittableRandom(42);
        String[] users = new String[KEYS];
        for (int k = 0; k < KEYS; k++) users[k] = "user-" + k;
        WorkloadRecord[] records = new WorkloadRecord[n];
        int perLane = n / lanes;
        for (int e = 0; e < n; e++) {
            WorkloadRecord w = new WorkloadRecord();
            w.timestampMillis = EPOCH_MILLIS + e * 1_000L / EVENTS_PER_EVENT_SECOND - random.nextLong(MAX_JITTER_MILLIS + 1);
            long second = Math.max(0, (w.timestampMillis - EPOCH_MILLIS) / 1_000);
            int user = random.nextInt(KEYS);
            if (user % 307 == 0 && second >= 25) user = (user + 1) % KEYS;
            w.user = users[user];
            w.tenant = "acme";
            w.route = ROUTES[random.nextInt(ROUTES.length)];
            w.serviceName = "shop";
            boolean failing = user % 211 == 0 && second % 60 >= 30 && second % 60 < 40;
            w.statusCode = random.nextInt(failing ? 5 : 50) < (failing ? 3 : 1) ? 500 : 200;
            boolean slow = user % 199 == 0 && second % 30 >= 20;
            w.durationMs = Math.exp(Math.log(slow ? 2_000 : 50) + 0.5 * gaussian(random));
            w.responseSizeBytes = 1_000 + random.nextInt(1_000);
            boolean hot = user % 101 == 0 && second % 60 >= 40;
            w.cpuPercent = (hot ? 40 : 10) + random.nextDouble() * 5;
            w.memoryBytes = 100_000_000L + random.nextInt(1_000_000);
            records[(e % lanes) * perLane + e / lanes] = w;
        }
        return records;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Reads the shared array and notes when each record was handed out. */
    private static final class SharedRecords implements GeneratorFunction<Long, WorkloadRecord> {
        private transient WorkloadRecord[] records;
        private transient long[] emitted;

        @Override
        public void open(org.apache.flink.api.connector.source.SourceReaderContext readerContext) {
            records = current;
            emitted = emittedNanos;
        }

        @Override
        public WorkloadRecord map(Long index) {
            int i = (int) (long) index;
            emitted[i] = System.nanoTime();
            return records[i];
        }
    }

    /** Notes each alert's event time and arrival (same JVM as the MiniCluster). */
    private static final class DelaySink implements Sink<Alert> {
        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context context) {
                    ALERTS.add(new long[] {alert.eventTime, System.nanoTime()});
                    ALERTS_BY_KIND.computeIfAbsent(alert.kind + " " + alert.status, k -> new LongAdder()).increment();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
