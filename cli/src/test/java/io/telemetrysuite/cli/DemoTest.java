package io.telemetrysuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleLoader;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.privacy.Redactor;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.services.RepoLayout;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./telemetry demo}, headless: the same {@link Demo} the command runs, with its own broker, free
 * ports and state in a temporary folder. The addresses it prints answer, every rule in {@code cep-rules/}
 * fires on the workload's injected anomalies (committed alerts), each at its anomaly's event time within the
 * workload's first 300 s, nothing else fires, and the alerts reach Alertmanager.
 */
class DemoTest {
    /**
     * The promise is alerts within two minutes of the printed addresses. What the demo controls
     * is event time: every alert below falls within the first 300 s of the workload, which the generator
     * replays in 30 s (10x). How long the four jobs take to work through that history is the machine's
     * doing: here, shared by several builds, the last alert was committed 61 s after the addresses at a
     * load of 25 and 107 s at a load of 65, and in failed runs of earlier versions the jobs needed up to
     * four minutes. So the wall-clock wait is generous, and the time each alert took is printed.
     */
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** After the last expected alert: a few more checkpoints of the CEP job (5 s in the demo) commit anything that fired with it. */
    private static final Duration AFTER_LAST = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everyShippedRuleFiresOnItsInjectedAnomalyAndNoOtherAlert(@TempDir Path dir) throws Exception {
        Path root = RepoLayout.root();
        Demo.Options options = Demo.Options.forRepo(root);
        options.state = dir.resolve("demo");
        options.archives = dir;
        options.savepoints = dir.resolve("savepoints");
        options.restPort = 0;
        options.useRunningBroker = false;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        options.out = new PrintStream(new Tee(printed, System.out), true, StandardCharsets.UTF_8);

        // The anomaly for each shipped rule, and the labels its alert carries (hashed by ingest's privacy policy where personal).
        Redactor redactor = new Redactor(IngestPolicies.load(new IngestConfig()).privacy());
        Map<String, Map<String, String>> expected = new TreeMap<>();
        expected.put("host-memory-high", Map.of("host.name", "host-2", "team", "platform"));
        expected.put("host-cpu-plateau", Map.of("host.name", "host-3", "team", "platform"));
        expected.put("host-heartbeat-stopped", Map.of("host.name", "host-5", "team", "platform"));
        expected.put("payment-error-burst", Map.of("service.name", "payment", "team", "payments"));
        expected.put("products-latency-shift", Map.of("http.route", "/api/products", "team", "catalog"));
        expected.put("failed-logins-then-success", Map.of("enduser.id", redactor.hash("dana.lee@example.com"), "team", "security"));
        expected.put("login-failures-from-one-address", Map.of("client.address", redactor.hash("192.0.2.66"), "team", "security"));
        // When each fires, in event time from the start of the workload (GeneratorConfig.demoAnomalies): inclusive ranges.
        Map<String, long[]> firesAt = new TreeMap<>();
        firesAt.put("login-failures-from-one-address", new long[] {212_000, 213_000}); // the fifth failure's log
        firesAt.put("failed-logins-then-success", new long[] {215_000, 215_000}); // the success after five failures
        firesAt.put("payment-error-burst", new long[] {215_000, 260_000}); // the 50th failed call of the burst
        firesAt.put("products-latency-shift", new long[] {235_000, 290_000}); // 5 s into a run of deviating points
        firesAt.put("host-heartbeat-stopped", new long[] {280_000, 280_000}); // 30 s after host-5's last sample
        firesAt.put("host-cpu-plateau", new long[] {290_000, 290_000}); // 2 minutes after the plateau's first sample
        firesAt.put("host-memory-high", new long[] {300_000, 300_000}); // 5 minutes after host-2's first sample
        List<Rule> shipped = RuleLoader.load(root.resolve("cep-rules"));
        assertThat(expected.keySet()).as("a demo anomaly for every shipped rule")
                .containsExactlyInAnyOrderElementsOf(shipped.stream().map(r -> r.id).toList());

        try (Demo demo = Demo.start(options)) {
            AtomicBoolean following = new AtomicBoolean(true);
            CompletableFuture<List<Alert>> printedAlerts = CompletableFuture.supplyAsync(() -> demo.follow(following::get));

            String text = printed.toString(StandardCharsets.UTF_8);
            URI web = URI.create(printedAddress(text, "Flink web UI"));
            URI prometheus = URI.create(printedAddress(text, "Prometheus"));
            URI alertmanager = URI.create(printedAddress(text, "Alertmanager"));
            assertThat(get(web.resolve("/overview"))).contains("\"flink-version\"");
            assertThat(get(prometheus.resolve("/-/ready"))).isNotNull();
            assertThat(get(alertmanager.resolve("/-/ready"))).isNotNull();

            // Committed alerts, as any downstream reader sees them, with when each was first read.
            Map<String, Long> firstFiringAfter = new LinkedHashMap<>();
            Map<String, Long> firstFiringAt = new TreeMap<>();
            List<Alert> committed = new ArrayList<>();
            long deadline = demo.runningMillis + WAIT.toMillis();
            try (KafkaConsumer<byte[], byte[]> consumer = committedReader(demo.bootstrap)) {
                consumer.subscribe(List.of(demo.alertsTopic));
                long stopAt = deadline;
                while (System.currentTimeMillis() < stopAt) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        Alert alert = EventJson.fromBytes(record.value(), Alert.class);
                        committed.add(alert);
                        if (Alert.FIRING.equals(alert.status)) {
                            firstFiringAfter.putIfAbsent(alert.ruleId, System.currentTimeMillis() - demo.runningMillis);
                            firstFiringAt.putIfAbsent(alert.ruleId, alert.eventTime - demo.workloadStartMillis);
                        }
                    }
                    if (firstFiringAfter.keySet().containsAll(expected.keySet()) && stopAt == deadline) {
                        stopAt = System.currentTimeMillis() + AFTER_LAST.toMillis();
                    }
                }
            }
            System.out.println("DemoTest: started in " + (demo.runningMillis - demo.startedMillis) + " ms; first firing alert committed"
                    + " after (ms since the addresses were printed) " + firstFiringAfter);
            System.out.println("DemoTest: event time of the first firing alert (ms into the workload) " + firstFiringAt);

            assertThat(firstFiringAfter.keySet()).as("rules that fired within %s", WAIT).containsExactlyInAnyOrderElementsOf(expected.keySet());
            firstFiringAt.forEach((rule, at) -> assertThat(at).as("event time of %s", rule).isBetween(firesAt.get(rule)[0], firesAt.get(rule)[1]));
            // Every alert, firing or resolved, is one of those: no other host, service, route, user or address.
            assertThat(committed).allSatisfy(alert -> assertThat(alert.labels).as("labels of %s", alert.ruleId)
                    .isEqualTo(expected.get(alert.ruleId)));

            JsonNode held = awaitAlertmanagerAlerts(demo);
            List<String> names = new ArrayList<>();
            held.forEach(a -> names.add(a.path("labels").path("alertname").asText()));
            assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(expected).containsKey(name));

            following.set(false);
            List<Alert> shown = printedAlerts.get(30, TimeUnit.SECONDS);
            assertThat(shown.stream().filter(a -> Alert.FIRING.equals(a.status)).map(a -> a.ruleId).collect(Collectors.toSet()))
                    .as("firing alerts the demo printed").containsAll(firstFiringAfter.keySet());
        }
    }

    private static String printedAddress(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (http://\\S+)").matcher(text);
        assertThat(m.find()).as("the demo printed the %s address:%n%s", name, text).isTrue();
        return m.group(1);
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
        return response.body();
    }

    /** The CEP job's Alertmanager sink posts asynchronously; give it a while on a loaded machine. */
    private static JsonNode awaitAlertmanagerAlerts(Demo demo) throws InterruptedException {
        assertThat(demo.alertmanager).as("Alertmanager started").isNotNull();
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode alerts = demo.alertmanager.alerts();
        while (alerts.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
            alerts = demo.alertmanager.alerts();
        }
        return alerts;
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** What the demo prints goes to the test log as well as to the buffer the test reads addresses from. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
