package io.telemetrysuite.cep;

import static io.telemetrysuite.cep.CepFixtures.condition;
import static io.telemetrysuite.cep.CepFixtures.match;
import static io.telemetrysuite.cep.CepFixtures.outOfOrder;
import static io.telemetrysuite.cep.CepFixtures.rule;
import static io.telemetrysuite.cep.CepFixtures.seconds;
import static io.telemetrysuite.cep.CepFixtures.step;
import static io.telemetrysuite.cep.CepFixtures.system;
import static io.telemetrysuite.cep.CepFixtures.view;
import static io.telemetrysuite.cep.CepFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each rule kind through {@link CepJob#buildTopology}: several keys interleaved, input out of event-time
 * order (within the watermark bound), parallelism 2; the exact alerts, at their event times, and no
 * others. Every case runs with watermarks after each event and with only the final watermark of the
 * bounded input, which also decides every pending deadline.
 */
class CepJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Events are displaced by up to 20 s; the watermark trails by 30 s, so none is late. */
    private static final long DISPLACEMENT_MS = 20_000;

    private static CepConfig config(CepConfig.Watermarks watermarks) {
        CepConfig config = new CepConfig();
        config.maxOutOfOrderness = Duration.ofSeconds(30);
        config.watermarks = watermarks;
        return config;
    }

    @Test
    void thresholdFiresOnceHeldForItsDurationAndResolvesWhenBroken() throws Exception {
        Rule cpu = rule("cpu-high", RuleKind.THRESHOLD, match(Signal.SYSTEM), "host");
        cpu.condition = condition("cpuPercent", ">", 80.0);
        cpu.forDuration = seconds(60);
        cpu.annotations = Map.of("summary", "CPU on {{host}} at {{value}}%");
        List<SystemSample> events = new ArrayList<>();
        for (long s = 0; s <= 300; s += 10) {
            events.add(system("h1", s, s >= 60 && s <= 200 ? 90 : 10)); // held 60..200: fires at 120, resolved at 210
            events.add(system("h2", s, s >= 100 && s <= 150 ? 90 : 10)); // held only 50 s: nothing
            events.add(system("h3", s, 10));
        }
        List<Alert> alerts = runSystem(events, List.of(cpu));
        assertThat(view(alerts)).containsExactly(
                "cpu-high firing {host=h1} +120s",
                "cpu-high resolved {host=h1} +210s");
        Alert firing = alerts.stream().filter(a -> a.status.equals(Alert.FIRING)).findFirst().orElseThrow();
        assertThat(firing.startsAt).isEqualTo(CepFixtures.T0 + 60_000);
        assertThat(firing.annotations).containsEntry("summary", "CPU on h1 at 90%");
        assertThat(firing.severity).isEqualTo("warning");
        assertThat(firing.kind).isEqualTo("threshold");
    }

    @Test
    void countFiresOnTheNthEventWithinTheWindowAndCooldownSuppressesTheRepeat() throws Exception {
        Rule burst = rule("error-burst", RuleKind.COUNT, match(Signal.WORKLOAD, "status", "error"), "service.name");
        burst.count = 5;
        burst.within = seconds(30);
        Rule quiet = rule("error-burst-cooldown", RuleKind.COUNT, match(Signal.WORKLOAD, "status", "error"), "service.name");
        quiet.count = 5;
        quiet.within = seconds(30);
        quiet.cooldown = seconds(60);
        List<WorkloadRecord> events = new ArrayList<>();
        for (long s = 0; s <= 45; s += 5) events.add(workload("u", "/payment", 500, s * 1000, 10)); // 10 errors 5 s apart
        for (long s = 0; s <= 40; s += 10) events.add(workload("u", "/cart", 503, s * 1000, 10)); // 5 errors over 40 s: too slow
        for (long s = 0; s <= 60; s += 1) events.add(workload("u", "/payment", 200, s * 1000 + 500, 10)); // successes: not selected
        List<Alert> alerts = runWorkload(events, List.of(burst, quiet));
        assertThat(view(alerts)).containsExactly(
                "error-burst firing {service.name=payment} +20s",
                "error-burst firing {service.name=payment} +45s",
                "error-burst-cooldown firing {service.name=payment} +20s");
    }

    @Test
    void sequenceInOrderWithinItsWindowAndStrictForbidsOtherEventsBetweenSteps() throws Exception {
        List<io.telemetrysuite.cep.rule.SequenceStep> steps = List.of(
                step(match(Signal.WORKLOAD, "route", "/login"), condition("statusCode", "==", 401.0)),
                step(match(Signal.WORKLOAD, "route", "/login"), condition("statusCode", "==", 401.0)),
                step(match(Signal.WORKLOAD, "route", "/login"), condition("statusCode", "==", 200.0)));
        Rule relaxed = rule("login-guess", RuleKind.SEQUENCE, null, "user.id");
        relaxed.steps = steps;
        relaxed.within = seconds(60);
        Rule strict = rule("login-guess-strict", RuleKind.SEQUENCE, null, "user.id");
        strict.steps = steps;
        strict.within = seconds(60);
        strict.strict = true;
        List<WorkloadRecord> events = new ArrayList<>(List.of(
                workload("u1", "/login", 401, 0, 5), workload("u1", "/login", 401, 10_000, 5), workload("u1", "/login", 200, 20_000, 5),
                // u2: a success between the failures; only the relaxed rule sees 401, 401, 200 (at 10, 15, 40)
                workload("u2", "/login", 401, 0, 5), workload("u2", "/login", 200, 5_000, 5), workload("u2", "/login", 401, 10_000, 5),
                workload("u2", "/login", 401, 15_000, 5), workload("u2", "/cart", 200, 16_000, 5), workload("u2", "/login", 500, 17_000, 5),
                workload("u2", "/login", 200, 40_000, 5),
                // u3: the right steps, too slow (100 s)
                workload("u3", "/login", 401, 0, 5), workload("u3", "/login", 401, 50_000, 5), workload("u3", "/login", 200, 100_000, 5)));
        List<Alert> alerts = runWorkload(events, List.of(relaxed, strict));
        assertThat(view(alerts)).containsExactly(
                "login-guess firing {user.id=u1} +20s",
                "login-guess firing {user.id=u2} +40s",
                "login-guess-strict firing {user.id=u1} +20s");
        assertThat(alerts.stream().filter(a -> a.labels.get("user.id").equals("u1")).findFirst().orElseThrow().startsAt)
                .isEqualTo(CepFixtures.T0);
    }

    @Test
    void heartbeatAbsenceFiresAtLastEventPlusForResolvesOnResumeAndTheFinalWatermarkFlushes() throws Exception {
        Rule heartbeat = rule("host-silent", RuleKind.ABSENCE, match(Signal.SYSTEM), "host");
        heartbeat.forDuration = seconds(30);
        List<SystemSample> events = new ArrayList<>();
        for (long s = 0; s <= 300; s += 10) {
            events.add(system("h1", s, 10));
            if (s <= 100 || s >= 200) events.add(system("h2", s, 10)); // silent from 100 to 200
            if (s <= 250) events.add(system("h3", s, 10)); // stops for good at 250
        }
        List<Alert> alerts = runSystem(events, List.of(heartbeat));
        assertThat(view(alerts)).containsExactly(
                "host-silent firing {host=h1} +330s", // the end of the input: flushed by the final watermark
                "host-silent firing {host=h2} +130s",
                "host-silent firing {host=h2} +330s",
                "host-silent firing {host=h3} +280s",
                "host-silent resolved {host=h2} +200s");
    }

    @Test
    void followUpAbsenceFiresWhenTheExpectedEventNeverComesIncludingAtTheEndOfInputAndResolvesWhenItComesLate() throws Exception {
        Rule paid = rule("checkout-unpaid", RuleKind.ABSENCE, null, "user.id");
        paid.after = match(Signal.WORKLOAD, "route", "/checkout");
        paid.expect = match(Signal.WORKLOAD, "route", "/payment");
        paid.within = seconds(20);
        List<WorkloadRecord> events = new ArrayList<>(List.of(
                workload("u1", "/checkout", 200, 0, 5), workload("u1", "/payment", 200, 10_000, 5), // paid in time
                workload("u2", "/checkout", 200, 5_000, 5), workload("u2", "/cart", 200, 8_000, 5), // never paid: +25 s
                workload("u2", "/payment", 200, 60_000, 5),                                        // too late: resolves
                workload("u3", "/checkout", 200, 290_000, 5),                                      // input ends first: flushed at +310 s
                workload("u1", "/cart", 200, 300_000, 5)));
        List<Alert> alerts = runWorkload(events, List.of(paid));
        assertThat(view(alerts)).containsExactly(
                "checkout-unpaid firing {user.id=u2} +25s",
                "checkout-unpaid firing {user.id=u3} +310s",
                "checkout-unpaid resolved {user.id=u2} +60s");
    }

    @Test
    void baselineFiresOnADeviationHeldForItsDurationOnlyAfterMinSamplesAndResolves() throws Exception {
        Rule latency = rule("latency-shift", RuleKind.BASELINE, match(Signal.WORKLOAD), "http.route");
        latency.field = "durationMs";
        latency.baseline = Duration.ofMinutes(10);
        latency.deviation = 3;
        latency.forDuration = seconds(30);
        latency.minSamples = 20;
        List<WorkloadRecord> events = new ArrayList<>();
        for (long s = 0; s < 700; s += 5) {
            long i = s / 5;
            double normal = i % 2 == 0 ? 100 : 110; // mean 105, σ 5
            // /a: 200 ms from 600 s to 640 s (held 40 s): fires at 630, resolved at 645.
            events.add(workload("u", "/a", 200, s * 1000, s >= 600 && s <= 640 ? 200 : normal));
            // /b: a single spike at 600 s is not held for 30 s.
            events.add(workload("u", "/b", 200, s * 1000 + 1, s == 600 ? 200 : normal));
            // /c: spikes from 20 s to 60 s, before 20 samples are in the baseline.
            events.add(workload("u", "/c", 200, s * 1000 + 2, s >= 20 && s <= 60 ? 500 : normal));
        }
        List<Alert> alerts = runWorkload(events, List.of(latency));
        assertThat(view(alerts)).containsExactly(
                "latency-shift firing {http.route=/a} +630s",
                "latency-shift resolved {http.route=/a} +645s");
    }

    private static List<Alert> runSystem(List<SystemSample> events, List<Rule> rules) throws Exception {
        return run(Signal.SYSTEM, outOfOrder(events, e -> e.timestampMillis, DISPLACEMENT_MS, 7), rules);
    }

    private static List<Alert> runWorkload(List<WorkloadRecord> events, List<Rule> rules) throws Exception {
        return run(Signal.WORKLOAD, outOfOrder(events, e -> e.timestampMillis, DISPLACEMENT_MS, 11), rules);
    }

    /**
     * Runs twice: with a watermark after every event (deadlines pass while events still flow, the live
     * case) and with only the final watermark (everything decided at the end, as {@code run cep} does);
     * both must give the same alerts.
     */
    private static <T> List<Alert> run(Signal signal, List<T> events, List<Rule> rules) throws Exception {
        List<Alert> live = run(signal, events, rules, CepConfig.Watermarks.EVERY_EVENT);
        List<Alert> atEnd = run(signal, events, rules, CepConfig.Watermarks.END_OF_INPUT);
        assertThat(view(atEnd)).as("decided at the end of the input").isEqualTo(view(live));
        return live;
    }

    private static <T> List<Alert> run(Signal signal, List<T> events, List<Rule> rules, CepConfig.Watermarks watermarks) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        Map<Signal, DataStream<?>> in = new EnumMap<>(Signal.class);
        in.put(signal, env.fromData(events));
        List<Alert> out = new ArrayList<>();
        CepJob.buildTopology(in, rules, config(watermarks)).executeAndCollect().forEachRemaining(out::add);
        return out;
    }
}
