package io.telemetrysuite.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.services.AlertmanagerServer;
import io.telemetrysuite.services.junit.AlertmanagerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a Flink MiniCluster (parallelism 2) posting to the real Alertmanager 0.25, whose API
 * the test reads back: exact labels, annotations and times; resolved alerts leave the active set;
 * an Alertmanager outage opens the breaker, keeps the job running and loses nothing; unsent alerts
 * survive a savepoint.
 */
@ExtendWith(AlertmanagerExtension.class)
class AlertmanagerSinkTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RESEND = Duration.ofMinutes(1);
    private static final Duration ONE_SHOT = Duration.ofMinutes(2);

    @Test
    void firingAlertsAreActiveWithExactLabelsAnnotationsAndTimesAndResolvedOnesLeave(AlertmanagerServer alertmanager) throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        int n = 40;

        long before = System.currentTimeMillis();
        StreamExecutionEnvironment env = environment();
        env.fromSequence(0, n - 1)
                .map(i -> alert(run, i, Alert.FIRING, base))
                .sinkTo(sink(alertmanager.url())).uid("alertmanager").name("Alertmanager");
        env.execute("alertmanager-sink-firing");
        long after = System.currentTimeMillis();

        Map<String, JsonNode> held = alertsOf(alertmanager.alerts(), run);
        assertThat(held).hasSize(n);
        for (int i = 0; i < n; i++) {
            JsonNode a = held.get("svc-" + i);
            assertThat(a).as("alert %d", i).isNotNull();
            boolean threshold = i % 2 == 0;
            assertThat(JSON.convertValue(a.path("labels"), Map.class)).isEqualTo(Map.of(
                    "alertname", threshold ? "cpu-high" : "login-burst",
                    "severity", threshold ? "critical" : "warning",
                    "service_name", "svc-" + i, // service.name, made a valid Alertmanager label name
                    "run", run));
            assertThat(JSON.convertValue(a.path("annotations"), Map.class)).isEqualTo(Map.of(
                    "description", "svc-" + i + " misbehaves",
                    "summary", "3 events, last value " + i,
                    "kind", threshold ? "threshold" : "count"));
            assertThat(Instant.parse(a.path("startsAt").asText()).toEpochMilli()).isEqualTo(base + i * 1000);
            long validFor = threshold ? 4 * RESEND.toMillis() : ONE_SHOT.toMillis();
            assertThat(Instant.parse(a.path("endsAt").asText()).toEpochMilli()).isBetween(before + validFor, after + validFor);
            assertThat(a.path("status").path("state").asText()).isEqualTo("active");
        }

        // Resolve four of the threshold alerts.
        double resolvedBefore = received(alertmanager, "resolved");
        StreamExecutionEnvironment env2 = environment();
        env2.fromSequence(0, 3)
                .map(i -> alert(run, i * 2, Alert.RESOLVED, base))
                .sinkTo(sink(alertmanager.url())).uid("alertmanager").name("Alertmanager");
        env2.execute("alertmanager-sink-resolved");

        held = alertsOf(alertmanager.alerts(), run);
        assertThat(held).hasSize(n - 4).doesNotContainKeys("svc-0", "svc-2", "svc-4", "svc-6").containsKey("svc-8");
        // Alertmanager 0.25 lists no resolved alert under any filter: GET /api/v2/alerts drops every
        // alert whose endsAt has passed before it looks at ?active, ?silenced, ?inhibited. They count
        // as received with status "resolved".
        assertThat(alertsOf(get(alertmanager, "/api/v2/alerts?active=false&silenced=true&inhibited=true&unprocessed=true"), run)).isEmpty();
        assertThat(alertsOf(get(alertmanager, "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"), run))
                .hasSize(n - 4).doesNotContainKey("svc-0");
        assertThat(received(alertmanager, "resolved") - resolvedBefore).isEqualTo(4.0);
    }

    @Test
    void alertmanagerOutageOpensTheBreakerKeepsTheJobRunningAndLosesNothing(
            @TempDir Path dataDir, @InjectClusterClient ClusterClient<?> flink) throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        int n = 300;
        AlertmanagerServer alertmanager = AlertmanagerServer.builder().dataDir(dataDir).start();
        int port = alertmanager.port();
        FlinkRestMetrics metrics = new FlinkRestMetrics(flink.getWebInterfaceURL());
        try {
            StreamExecutionEnvironment env = environment();
            // 300 alerts at 50 per second: about 6 s, with Alertmanager away for part of it.
            DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, n, RateLimiterStrategy.perSecond(50), Types.LONG);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "slow alerts").uid("alerts")
                    .map(i -> alert(run, i * 2, Alert.FIRING, base)) // all threshold: kept alive, re-sent after the outage
                    .sinkTo(sink(alertmanager.url())
                            .flushInterval(Duration.ofMillis(100))
                            .failureThreshold(2)
                            .initialRetryDelay(Duration.ofMillis(200))
                            .maxRetryDelay(Duration.ofSeconds(1))
                            .requestTimeout(Duration.ofSeconds(2)))
                    .uid("alertmanager").name("Alertmanager");
            JobClient job = env.executeAsync("alertmanager-sink-outage");

            awaitAlerts(alertmanager, run, c -> c > 0);
            alertmanager.stop();
            assertThat(metrics.await(job.getJobID(), "alertmanagerSink.breakerState", "max", s -> s == 2, Duration.ofSeconds(60)))
                    .as("breaker open").isEqualTo(2.0);
            assertThat(metrics.await(job.getJobID(), "alertmanagerSink.alertsBuffered", "sum", b -> b > 0, Duration.ofSeconds(60)))
                    .isPositive();
            assertThat(metrics.aggregate(job.getJobID(), "alertmanagerSink.failedAttempts", "sum")).isGreaterThanOrEqualTo(2);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            // Alertmanager keeps alerts in memory only: the restarted one knows none of the earlier ones.
            alertmanager = AlertmanagerServer.builder().dataDir(dataDir).port(port).start();

            job.getJobExecutionResult().get();
            Map<String, JsonNode> held = alertsOf(alertmanager.alerts(), run);
            assertThat(held).hasSize(n);
            for (int i = 0; i < n; i++) {
                JsonNode a = held.get("svc-" + i * 2);
                assertThat(a).as("alert %d", i).isNotNull();
                assertThat(Instant.parse(a.path("startsAt").asText()).toEpochMilli()).isEqualTo(base + i * 2000L);
                assertThat(a.path("status").path("state").asText()).isEqualTo("active");
            }
        } finally {
            alertmanager.stop();
        }
    }

    @Test
    void unsentAlertsSurviveASavepoint(@TempDir Path dataDir, @TempDir Path savepoints, @InjectClusterClient ClusterClient<?> flink)
            throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        int port = freePort(); // Alertmanager is not there yet
        String url = "http://127.0.0.1:" + port;
        FlinkRestMetrics metrics = new FlinkRestMetrics(flink.getWebInterfaceURL());

        JobClient first = outageJob(environment(), run, base, url).executeAsync("alertmanager-sink-before-savepoint");
        // 10 alerts: 5 threshold (also kept alive), 5 count; all unsent.
        metrics.await(first.getJobID(), "alertmanagerSink.alertsBuffered", "sum", b -> b == 10, Duration.ofSeconds(60));
        assertThat(metrics.aggregate(first.getJobID(), "alertmanagerSink.alertsActive", "sum")).isEqualTo(5.0);
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();

        AlertmanagerServer alertmanager = AlertmanagerServer.builder().dataDir(dataDir).port(port).start();
        try {
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            long resumed = System.currentTimeMillis();
            JobClient second = outageJob(environment(restore), run, base, url).executeAsync("alertmanager-sink-after-savepoint");
            try {
                awaitAlerts(alertmanager, run, c -> c == 10);
                metrics.await(second.getJobID(), "alertmanagerSink.alertsBuffered", "sum", b -> b == 0, Duration.ofSeconds(60));
                Map<String, JsonNode> held = alertsOf(alertmanager.alerts(), run);
                assertThat(held).hasSize(10);
                for (int i = 0; i < 10; i++) {
                    JsonNode a = held.get("svc-" + i);
                    assertThat(a).as("alert %d", i).isNotNull();
                    assertThat(Instant.parse(a.path("startsAt").asText()).toEpochMilli()).isEqualTo(base + i * 1000L);
                    long validFor = i % 2 == 0 ? 4 * RESEND.toMillis() : ONE_SHOT.toMillis();
                    assertThat(Instant.parse(a.path("endsAt").asText()).toEpochMilli())
                            .isBetween(resumed + validFor, System.currentTimeMillis() + validFor);
                }
                assertThat(second.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                second.cancel().get();
            }
        } finally {
            alertmanager.stop();
        }
    }

    /** An endless source of which only the first 10 numbers become alerts, to an Alertmanager that may be away. */
    private static StreamExecutionEnvironment outageJob(StreamExecutionEnvironment env, String run, long base, String url) {
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(20), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .filter(i -> i < 10).name("first 10")
                .map(i -> alert(run, i, Alert.FIRING, base)).name("to alerts")
                .sinkTo(sink(url).flushInterval(Duration.ofMillis(100)).initialRetryDelay(Duration.ofMillis(200))
                        .maxRetryDelay(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)))
                .uid("alertmanager").name("Alertmanager");
        return env;
    }

    /** Alert {@code i}: even ones from a threshold rule (resolvable), odd ones from a count rule. */
    static Alert alert(String run, long i, String status, long base) {
        Alert a = new Alert();
        boolean threshold = i % 2 == 0;
        a.ruleId = threshold ? "cpu-high" : "login-burst";
        a.kind = threshold ? "threshold" : "count";
        a.severity = threshold ? "critical" : "warning";
        a.status = status;
        a.labels = new HashMap<>(Map.of("service.name", "svc-" + i, "run", run));
        a.annotations = new HashMap<>(Map.of("description", "svc-" + i + " misbehaves"));
        a.eventTime = Alert.RESOLVED.equals(status) ? base + 3_600_000 / 2 : base + i * 1000;
        a.startsAt = base + i * 1000 - 500;
        a.summary = "3 events, last value " + i;
        a.events = List.of("metric@" + a.eventTime + " value=" + i);
        return a;
    }

    private static AlertmanagerSink sink(String url) {
        return new AlertmanagerSink(url).resendInterval(RESEND).oneShotDuration(ONE_SHOT);
    }

    private static StreamExecutionEnvironment environment() {
        return environment(new Configuration());
    }

    private static StreamExecutionEnvironment environment(Configuration conf) {
        // A failing sink must fail the test, not be retried into success.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // As the jobs run: no Kryo fallback for Alert.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** The alerts of this run, by their service_name label. */
    private static Map<String, JsonNode> alertsOf(JsonNode alerts, String run) {
        Map<String, JsonNode> mine = new HashMap<>();
        for (JsonNode a : alerts) {
            if (run.equals(a.path("labels").path("run").asText())) {
                JsonNode previous = mine.put(a.path("labels").path("service_name").asText(), a);
                assertThat(previous).as("one alert per label set").isNull();
            }
        }
        return mine;
    }

    private static void awaitAlerts(AlertmanagerServer alertmanager, String run, java.util.function.IntPredicate done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int count = -1;
        while (System.nanoTime() < deadline) {
            count = alertsOf(alertmanager.alerts(), run).size();
            if (done.test(count)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("Timed out waiting for the alerts of " + run + " (last count " + count + ")");
    }

    private static JsonNode get(AlertmanagerServer alertmanager, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(alertmanager.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** {@code alertmanager_alerts_received_total{status=...}} from Alertmanager's own metrics. */
    private static double received(AlertmanagerServer alertmanager, String status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(alertmanager.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^alertmanager_alerts_received_total\\{status=\"" + status + "\",version=\"v2\"} (\\S+)$")
                .matcher(response.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
