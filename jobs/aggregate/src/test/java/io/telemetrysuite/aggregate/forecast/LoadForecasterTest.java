package io.telemetrysuite.aggregate.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.Forecast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load forecaster on a MiniCluster at parallelism 2 with generic types off, fed final aggregates
 * as the final-window operator emits them: in window order, each at event time window end − 1 ms +
 * 1 min (the default allowed lateness).
 */
class LoadForecasterTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long MINUTE = 60_000L;
    /** A whole hour, so window ends are on the minute grid. */
    private static final long T0 = 1_767_225_600_000L;

    // ---------------------------------------------------------------- exact behaviour

    @Test
    void noForecastBeforeTwoSeasonsThenEveryRefitForTheNextWindows() throws Exception {
        ForecastConfig config = config(4, 2, 3, 2);
        double[] pattern = {10, 30, 20, 40};
        List<Aggregate> in = new ArrayList<>();
        for (int t = 0; t < 11; t++) in.add(span("checkout", "GET /a", "SERVER", t, pattern[t % 4]));

        List<Forecast> out = run(in, config);

        // 8 windows (two seasons) before the first fit, then every 2 windows: issued at the ends of windows 8 and 10.
        assertThat(out).extracting(f -> (f.issuedAt - T0) / MINUTE + "+" + f.horizonSteps + "->" + (f.targetTime - T0) / MINUTE)
                .containsExactlyInAnyOrder("8+1->9", "8+2->10", "8+3->11", "10+1->11", "10+2->12", "10+3->13");
        for (Forecast f : out) {
            // Window w (0-based) ends at T0 + (w + 1) min: the target window's index is targetTime/min − 1.
            int target = (int) ((f.targetTime - T0) / MINUTE) - 1;
            assertThat(f.predicted).as("%s", f).isCloseTo(pattern[target % 4], within(1e-6));
            assertThat(f.lower).isCloseTo(f.predicted, within(1e-6));
            assertThat(f.upper).isCloseTo(f.predicted, within(1e-6));
            assertThat(f.signal).isEqualTo("service");
            assertThat(f.serviceName).isEqualTo("checkout");
            assertThat(f.tenant).isEmpty();
            assertThat(f.quantity).isEqualTo("requests");
            assertThat(f.resolution).isEqualTo("1m");
            assertThat(f.model).isEqualTo("holt-winters");
            assertThat(f.historyPoints).isEqualTo(8);
        }
    }

    @Test
    void missingWindowsCountAsZeroRequestsAndKeepTheLastCpuAndMemory() throws Exception {
        ForecastConfig config = config(2, 2, 2, 1);
        List<Aggregate> in = new ArrayList<>();
        // Only windows 0, 2 and 4 have load (10 requests over two routes); 1 and 3 have none at all.
        for (int t = 0; t <= 4; t += 2) {
            in.add(workload("acme", "/a", t, 6, 40, 1.0e9));
            in.add(workload("acme", "/b", t, 4, 65, 2.5e9));
        }
        // Ignored: client spans are not load on the service, updates and other resolutions are not final figures.
        in.add(span("web", "GET /x", "CLIENT", 4, 500));
        Aggregate update = workload("acme", "/a", 4, 1000, 99, 9e9);
        update.update = true;
        in.add(update);
        Aggregate coarse = workload("acme", "/a", 4, 1000, 99, 9e9);
        coarse.resolution = "5m";
        in.add(coarse);

        List<Forecast> out = run(in, config);

        // History at window 4's end: 0, 10, 0, 10 (windows 1-4): the first fit, for windows 5 and 6.
        Map<String, List<Forecast>> byQuantity = out.stream().collect(Collectors.groupingBy(f -> f.quantity));
        assertThat(byQuantity.keySet()).containsExactlyInAnyOrder("requests", "cpuPercent", "memoryBytes");
        assertThat(byQuantity.get("requests")).extracting(f -> (f.targetTime - T0) / MINUTE + "=" + Math.round(f.predicted))
                .containsExactlyInAnyOrder("6=0", "7=10");
        // (6 × 40 + 4 × 65) / 10 = 50 % and (6 × 1 GB + 4 × 2.5 GB) / 10 = 1.6 GB, carried over the empty windows.
        assertThat(byQuantity.get("cpuPercent")).allSatisfy(f -> assertThat(f.predicted).isCloseTo(50, within(1e-6)));
        assertThat(byQuantity.get("memoryBytes")).allSatisfy(f -> assertThat(f.predicted).isCloseTo(1.6e9, within(1e-3)));
        assertThat(out).allSatisfy(f -> {
            assertThat(f.signal).isEqualTo("tenant");
            assertThat(f.tenant).isEqualTo("acme");
            assertThat(f.issuedAt).isEqualTo(T0 + 5 * MINUTE);
            assertThat(f.historyPoints).isEqualTo(4);
        });
    }

    // ---------------------------------------------------------------- measurement

    /**
     * A synthetic periodic + burst workload: per-minute requests of two services and two tenants (and
     * the tenants' CPU and memory) over five hourly seasons; the last season is held back. Measured:
     * the forecasts issued at the end of season four for the whole held-back season (h = 1…60), and
     * the rolling forecasts the default configuration emits (h = 1…15, every 5 min) for windows in it,
     * each against the seasonal-naive forecast (the same minute one season earlier). Printed per series;
     * asserted: 95 % intervals cover at least 80 %, and WMAPE is below 30 % and below seasonal naive's.
     */
    @Test
    void onPeriodicLoadWithBurstsTheHeldBackSeasonIsMeasuredAgainstSeasonalNaiveAndTheIntervalCoversIt() throws Exception {
        int m = 60;
        int seasons = 5;
        int n = m * seasons;
        Random random = new Random(11);
        Map<String, double[]> truth = new TreeMap<>();
        List<Aggregate> in = new ArrayList<>();
        String[][] subjects = {{"service", "checkout", "1200", "0"}, {"service", "search", "300", "2"},
                               {"tenant", "acme", "800", "1"}, {"tenant", "globex", "150", "4"}};
        for (String[] s : subjects) {
            double base = Double.parseDouble(s[2]);
            double phase = Double.parseDouble(s[3]);
            double[] requests = new double[n];
            double[] cpu = new double[n];
            double[] memory = new double[n];
            int burstLeft = 0;
            for (int t = 0; t < n; t++) {
                double load = base * (1 + 0.6 * Math.sin(2 * Math.PI * t / m + phase));
                if (burstLeft == 0 && random.nextDouble() < 0.015) burstLeft = 2 + random.nextInt(3);
                double burst = burstLeft > 0 ? load * (1 + random.nextDouble()) : 0;
                if (burstLeft > 0) burstLeft--;
                requests[t] = Math.max(0, Math.round(load + burst + 0.08 * load * random.nextGaussian()));
                cpu[t] = 15 + 50 * requests[t] / (2.5 * base) + 2 * random.nextGaussian();
                memory[t] = 2e9 + 1e6 * requests[t] + 5e7 * random.nextGaussian();
            }
            truth.put(s[0] + "/" + s[1] + "/requests", requests);
            for (int t = 0; t < n; t++) {
                if (s[0].equals("service")) {
                    // Two server span names share the load; a client span aggregate is not load on the service.
                    double first = Math.floor(requests[t] * 0.7);
                    in.add(span(s[1], "GET /a", "SERVER", t, first));
                    in.add(span(s[1], "POST /b", "SERVER", t, requests[t] - first));
                    in.add(span(s[1], "GET downstream", "CLIENT", t, 3 * requests[t]));
                } else {
                    double first = Math.floor(requests[t] * 0.6);
                    in.add(workload(s[1], "/a", t, first, cpu[t], memory[t]));
                    in.add(workload(s[1], "/b", t, requests[t] - first, cpu[t], memory[t]));
                }
            }
            if (s[0].equals("tenant")) {
                truth.put(s[0] + "/" + s[1] + "/cpuPercent", cpu);
                truth.put(s[0] + "/" + s[1] + "/memoryBytes", memory);
            }
        }
        in.sort(Comparator.comparingLong(a -> a.windowEnd));

        ForecastConfig config = new ForecastConfig(); // defaults: 1m, 60-window season, 3 seasons, refit every 5
        config.horizonSteps = m;                      // one season ahead, for the held-back season from its start
        long started = System.nanoTime();
        List<Forecast> out = run(in, config);
        long millis = (System.nanoTime() - started) / 1_000_000;

        long heldBackFrom = T0 + (long) (n - m) * MINUTE; // end of season four = issue time of the hold-out forecasts
        System.out.printf("Load forecast on %d subjects × %d one-minute windows (season %d, last season held back), %d forecasts in %d ms%n",
                subjects.length, n, m, out.size(), millis);
        System.out.printf("%-28s %10s %10s %10s %10s %10s %10s%n", "series", "hold-out", "naive", "cover95", "rolling", "naive", "cover95");
        Score holdOutRequests = new Score();
        Score rollingRequests = new Score();
        for (Map.Entry<String, double[]> e : truth.entrySet()) {
            String[] id = e.getKey().split("/");
            double[] y = e.getValue();
            Score holdOut = new Score();
            Score rolling = new Score();
            for (Forecast f : out) {
                if (!f.signal.equals(id[0]) || !(f.serviceName + f.tenant).equals(id[1]) || !f.quantity.equals(id[2])) continue;
                int t = (int) ((f.targetTime - T0) / MINUTE) - 1; // index of the forecast window
                if (t < n - m || t >= n) continue;
                if (f.issuedAt == heldBackFrom) holdOut.add(y[t], f, y[t - m]);
                if (f.horizonSteps <= 15) rolling.add(y[t], f, y[t - m]);
            }
            if (id[2].equals("requests")) {
                holdOutRequests.addAll(holdOut);
                rollingRequests.addAll(rolling);
            }
            assertThat(holdOut.count).as("hold-out forecasts of %s", e.getKey()).isEqualTo(m);
            System.out.printf("%-28s %9.1f%% %9.1f%% %9.1f%% %9.1f%% %9.1f%% %9.1f%%%n", e.getKey(), 100 * holdOut.wmape(),
                    100 * holdOut.naiveWmape(), 100 * holdOut.coverage(), 100 * rolling.wmape(), 100 * rolling.naiveWmape(),
                    100 * rolling.coverage());
        }
        System.out.printf("%-28s %9.1f%% %9.1f%% %9.1f%% %9.1f%% %9.1f%% %9.1f%%%n", "all requests", 100 * holdOutRequests.wmape(),
                100 * holdOutRequests.naiveWmape(), 100 * holdOutRequests.coverage(), 100 * rollingRequests.wmape(),
                100 * rollingRequests.naiveWmape(), 100 * rollingRequests.coverage());

        // Over all subjects the forecast beats "same minute one season ago"; single series vary (a burst in
        // the last season before the hold-out moves that series' forecast), so the comparison is on the sum.
        assertThat(holdOutRequests.coverage()).isGreaterThanOrEqualTo(0.8);
        assertThat(rollingRequests.coverage()).isGreaterThanOrEqualTo(0.8);
        assertThat(holdOutRequests.wmape()).isLessThan(0.30).isLessThan(holdOutRequests.naiveWmape());
        assertThat(rollingRequests.wmape()).isLessThan(0.30).isLessThan(rollingRequests.naiveWmape());
        // The first forecasts come after two seasons, from the end of window 120 on, every 5 windows.
        assertThat(out.stream().mapToLong(f -> f.issuedAt).min().orElseThrow()).isEqualTo(T0 + 2L * m * MINUTE);
        assertThat(out).allSatisfy(f -> assertThat((f.issuedAt - T0) / MINUTE % 5).isZero());
    }

    /** Weighted absolute percentage error (Σ|error| / Σ|truth|) against seasonal naive, and interval coverage. */
    private static final class Score {
        double absError;
        double naiveAbsError;
        double absTruth;
        int covered;
        int count;

        void add(double truth, Forecast f, double naive) {
            absError += Math.abs(truth - f.predicted);
            naiveAbsError += Math.abs(truth - naive);
            absTruth += Math.abs(truth);
            if (truth >= f.lower && truth <= f.upper) covered++;
            count++;
        }

        void addAll(Score s) {
            absError += s.absError;
            naiveAbsError += s.naiveAbsError;
            absTruth += s.absTruth;
            covered += s.covered;
            count += s.count;
        }

        double wmape() {
            return absError / absTruth;
        }

        double naiveWmape() {
            return naiveAbsError / absTruth;
        }

        double coverage() {
            return (double) covered / count;
        }
    }

    // ---------------------------------------------------------------- fixtures

    private static ForecastConfig config(int seasonPoints, int historySeasons, int horizonSteps, int refitEvery) {
        ForecastConfig c = new ForecastConfig();
        c.resolution = Duration.ofMinutes(1);
        c.seasonPoints = seasonPoints;
        c.historySeasons = historySeasons;
        c.horizonSteps = horizonSteps;
        c.refitEvery = refitEvery;
        return c;
    }

    private static Aggregate window(String signal, int minute, double count) {
        Aggregate a = new Aggregate();
        a.resolution = "1m";
        a.signal = signal;
        a.windowStart = T0 + minute * MINUTE;
        a.windowEnd = a.windowStart + MINUTE;
        a.count = count;
        a.ratePerSecond = count / 60;
        return a;
    }

    private static Aggregate span(String service, String name, String kind, int minute, double count) {
        Aggregate a = window("span", minute, count);
        a.serviceName = service;
        a.spanName = name;
        a.kind = kind;
        return a;
    }

    private static Aggregate workload(String tenant, String route, int minute, double count, double cpuPercent, double memoryBytes) {
        Aggregate a = window("workload", minute, count);
        a.tenant = tenant;
        a.route = route;
        a.avgCpuPercent = cpuPercent;
        a.avgMemoryBytes = memoryBytes;
        return a;
    }

    /** Final aggregates in window order, each at the event time the final-window operator emits it. */
    private static List<Forecast> run(List<Aggregate> aggregates, ForecastConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        List<Aggregate> ordered = new ArrayList<>(aggregates);
        ordered.sort(Comparator.comparingLong(a -> a.windowEnd));
        DataStream<Aggregate> finals = env.fromData(ordered, TypeInformation.of(Aggregate.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Aggregate>forMonotonousTimestamps()
                        .withTimestampAssigner((a, previous) -> a.windowEnd - 1 + MINUTE))
                .setParallelism(1);
        List<Forecast> out = new ArrayList<>();
        try (CloseableIterator<Forecast> it = LoadForecaster.forecasts(finals, config).collectAsync()) {
            env.execute("forecast test");
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
