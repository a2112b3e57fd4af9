package io.telemetrysuite.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrysuite.ingest.IngestConfig;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestPolicies;
import io.telemetrysuite.ingest.IngestSinks;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.model.RawRecord;
import io.telemetrysuite.services.AlertmanagerServer;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.RepoLayout;
import io.telemetrysuite.services.junit.AlertmanagerExtension;
import io.telemetrysuite.services.junit.KafkaBrokerExtension;
import io.telemetrysuite.services.KafkaBroker;
import io.telemetrysuite.ingest.IngestTopics;
import java.util.LinkedHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.util.Map;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline watching itself, end to end with real parts: the ingest topology runs on a MiniCluster
 * whose metrics go out through Flink's Prometheus reporter, configured as in {@code flink-conf/config.yaml};
 * a real Prometheus scrapes it with {@code deploy/prometheus/pipeline-alerts.yml} loaded and sends to
 * the real Alertmanager.
 *
 * <p>A quarter of the input is not JSON, so the ingest job dead-letters 25 % of what it receives and
 * {@code DeadLetterRateHigh} (threshold 5 %, {@code for: 1m}) must reach Alertmanager, and nothing else
 * for this job. The same Prometheus then shows that the metric names the README documents exist, and
 * that every expression of the pipeline-health dashboard is valid PromQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({AlertmanagerExtension.class, KafkaBrokerExtension.class})
class PipelineSelfMonitoringTest {
    private static final int REPORTER_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(reporterConfiguration(REPORTER_PORT))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** What a running ingest job must export (README, "Monitoring the pipeline"). */
    private static final List<String> DOCUMENTED_FOR_INGEST = List.of(
            "flink_jobmanager_job_uptime",
            "flink_jobmanager_job_numRestarts",
            "flink_jobmanager_job_numberOfCompletedCheckpoints",
            "flink_jobmanager_job_numberOfFailedCheckpoints",
            "flink_jobmanager_job_lastCheckpointDuration",
            "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
            "flink_taskmanager_job_task_busyTimeMsPerSecond",
            "flink_taskmanager_job_task_operator_numRecordsIn",
            "flink_taskmanager_job_task_operator_numRecordsOut",
            "flink_taskmanager_job_task_operator_ingest_received",
            "flink_taskmanager_job_task_operator_ingest_accepted",
            "flink_taskmanager_job_task_operator_ingest_deadLettered",
            "flink_taskmanager_job_task_operator_ingest_deadLettered_invalid_json",
            "flink_taskmanager_job_task_operator_ingest_valid_workload",
            "flink_taskmanager_job_task_operator_pendingRecords",
            "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max");

    private static final List<String> PANELS_WITH_DATA_FOR_INGEST = List.of(
            "Job uptime", "Restarts (in range)", "Checkpoint duration", "Checkpoints completed / failed",
            "Records in per job (sources)", "Records out per job (sinks)", "Ingest: received, accepted, sampled out, dead-lettered",
            "Dead letters per reason", "Kafka consumer lag", "Backpressure (busiest task)", "Busy time (busiest task)");

    /** Unique per run: the shared Alertmanager may hold alerts of earlier runs. */
    private final String flinkJobName = "monitoring-test-" + System.nanoTime();
    /** The reporter turns every character not allowed in a metric name into '_', in label values too. */
    private final String jobName = flinkJobName.replace('-', '_');
    private PrometheusServer prometheus;
    private JobClient job;

    /**
     * Once, before the first test; not in {@code @BeforeAll}, because the MiniCluster extension makes its
     * cluster the context environment only before each test (earlier, the job would run in a cluster of
     * its own, without the reporter).
     */
    @BeforeEach
    void startPipeline(AlertmanagerServer alertmanager, KafkaBroker broker) throws Exception {
        if (job != null) return;
        prometheus = PrometheusServer.builder()
                .scrapeTarget("127.0.0.1:" + REPORTER_PORT)
                .ruleFile(RepoLayout.root().resolve("deploy/prometheus/pipeline-alerts.yml"))
                .alertmanager(alertmanager.url())
                .start();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IngestJob.baseConfiguration());
        env.setParallelism(2);
        // Checkpoints on, so that FlinkCheckpointsStalled has nothing to say about this job either.
        env.enableCheckpointing(1000);
        IngestConfig config = new IngestConfig();
        // The job's real Kafka source too, for the consumer-lag metrics: the connector registers them for a
        // partition once a fetch returned records from it, so every partition gets some.
        config.bootstrapServers = broker.bootstrapServers();
        config.consumerGroup = jobName;
        config.topics = new IngestTopics().withPrefix(jobName + "-");
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : config.topics.inputs()) topics.put(topic, 2);
        broker.createTopics(topics);
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 1; i <= 10; i++) {
                    // Never a multiple of 4: all valid, so the dead-letter share stays a quarter of the generated input.
                    producer.send(new ProducerRecord<>(config.topics.records, partition, null, record(partition * 100L + 4L * i + 1).payload)).get();
                }
            }
        }
        // Unbounded at a steady rate: rate() needs the counters to keep moving while the rule's `for` runs.
        DataGeneratorSource<RawRecord> input = new DataGeneratorSource<>(
                PipelineSelfMonitoringTest::record, Long.MAX_VALUE, RateLimiterStrategy.perSecond(40), TypeInformation.of(RawRecord.class));
        IngestStreams streams = IngestJob.buildTopology(
                env.fromSource(input, WatermarkStrategy.noWatermarks(), "Synthetic records").uid("test-source")
                        .union(IngestJob.kafkaSource(env, config, false)),
                config, IngestPolicies.load(config));
        IngestJob.attachSinks(streams, new IngestSinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()), null);
        job = env.executeAsync(flinkJobName);
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (job != null) job.cancel().get();
        if (prometheus != null) prometheus.stop();
    }

    /** Every fourth record is not JSON (dead letter {@code invalid_json}); the rest are valid workload records. */
    private static RawRecord record(long index) {
        long now = System.currentTimeMillis();
        String json = index % 4 == 0
                ? "{not json"
                : "{\"signal\":\"workload\",\"timestampMillis\":" + now + ",\"tenant\":\"acme\",\"requestId\":\"r" + index
                        + "\",\"route\":\"/chat\",\"method\":\"POST\",\"statusCode\":200,\"durationMs\":12.5}";
        return new RawRecord(json.getBytes(StandardCharsets.UTF_8), "test", 0, index, RawRecord.Encoding.JSON, now);
    }

    @Test
    void deadLetterRateAlertReachesAlertmanager(AlertmanagerServer alertmanager) {
        awaitSeries("flink_taskmanager_job_task_operator_ingest_received{job_name=\"" + jobName + "\"}");
        List<JsonNode> ours = await(Duration.ofMinutes(4), () -> "DeadLetterRateHigh for " + jobName + " in Alertmanager; Prometheus holds "
                + prometheus.alerts(), () -> {
            List<JsonNode> alerts = alertsOf(alertmanager.alerts());
            return alerts.isEmpty() ? null : alerts;
        });

        assertThat(ours).hasSize(1);
        JsonNode alert = ours.get(0);
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo("DeadLetterRateHigh");
        assertThat(alert.at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(alert.at("/labels/component").asText()).isEqualTo("ingest");
        assertThat(alert.at("/status/state").asText()).isEqualTo("active");
        assertThat(alert.at("/annotations/summary").asText()).startsWith(jobName + " dead-letters ");

        // A quarter of the input, as Prometheus sees it through the reporter.
        double ratio = prometheus.query("sum(rate(flink_taskmanager_job_task_operator_ingest_deadLettered{job_name=\"" + jobName
                + "\"}[1m])) / sum(rate(flink_taskmanager_job_task_operator_ingest_received{job_name=\"" + jobName + "\"}[1m]))")
                .path("result").get(0).path("value").get(1).asDouble();
        assertThat(ratio).isBetween(0.2, 0.3);
        // Nothing else about this job fired: it runs, has not restarted, its checkpoints complete.
        assertThat(alertsOf(alertmanager.alerts())).hasSize(1);
    }

    /** The names the README documents, as the reporter really exports them for a running ingest job. */
    @Test
    void documentedMetricNamesAreWhatPrometheusScrapes() throws IOException {
        awaitSeries("flink_jobmanager_job_numberOfCompletedCheckpoints{job_name=\"" + jobName + "\"} > 0");
        String readme = Files.readString(RepoLayout.root().resolve("README.md"));
        for (String name : DOCUMENTED_FOR_INGEST) {
            assertThat(readme).as("README documents " + name).contains(name);
            // Some appear late: the Kafka connector registers its lag metrics after a fetch returned records.
            awaitSeries(name + "{job_name=\"" + jobName + "\"}");
        }
        // Counters are exported as gauges, not as *_total counters: the rules and dashboards rely on that.
        assertThat(prometheus.query("flink_taskmanager_job_task_operator_ingest_received_total").path("result").size()).isZero();
    }

    /**
     * Every expression of deploy/grafana/pipeline-health.json is valid PromQL for Prometheus (it answers
     * without an error), and the panels about what this job has return data for it.
     */
    @Test
    void dashboardQueriesRunOnTheRealPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(RepoLayout.root().resolve("deploy/grafana/pipeline-health.json").toFile());
        int expressions = 0;
        for (JsonNode panel : dashboard.path("panels")) expressions += panel.path("targets").size();
        assertThat(expressions).isGreaterThan(20);
        // rate() and increase() need two scrapes of a series: poll until every panel that should have data has it.
        List<String> withData = await(Duration.ofMinutes(2),
                () -> "data in the panels " + PANELS_WITH_DATA_FOR_INGEST + "; had it: " + panelsWithData(dashboard),
                () -> {
                    List<String> panels = panelsWithData(dashboard);
                    return panels.containsAll(PANELS_WITH_DATA_FOR_INGEST) ? panels : null;
                });
        assertThat(withData).containsAll(PANELS_WITH_DATA_FOR_INGEST);
    }

    /** Titles of the panels with at least one series for this job; any invalid expression fails the query. */
    private List<String> panelsWithData(JsonNode dashboard) {
        List<String> withData = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            boolean any = false;
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replace("$job", jobName)
                        .replace("$__rate_interval", "1m")
                        .replace("$__range", "5m");
                any |= prometheus.query(expr).path("result").size() > 0;
            }
            if (any) withData.add(panel.path("title").asText());
        }
        return withData;
    }

    /** Waits until Prometheus has scraped {@code selector}; on timeout says what the scrape targets report. */
    private void awaitSeries(String selector) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (prometheus.query(selector).path("result").size() > 0) return;
            sleep(500);
        }
        throw new AssertionError("Prometheus never saw " + selector + "; targets: " + prometheus.targets()
                + "; flink series: " + prometheus.query("count by (__name__) ({__name__=~\"flink_.*(ingest|Kafka|pending|lag).*|flink_jobmanager_job_uptime\"})"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> alertsOf(JsonNode alerts) {
        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode a : alerts) if (jobName.equals(a.at("/labels/job_name").asText())) ours.add(a);
        return ours;
    }

    private static Configuration reporterConfiguration(int port) {
        // The reporter exactly as shipped; only the port range becomes one free port, so parallel runs do not collide.
        Configuration shipped = GlobalConfiguration.loadConfiguration(RepoLayout.root().resolve("flink-conf").toString());
        Configuration conf = new Configuration();
        shipped.toMap().forEach((key, value) -> {
            if (key.startsWith("metrics.reporter.")) conf.setString(key, value);
        });
        if (!conf.containsKey("metrics.reporter.prom.factory.class")) {
            throw new IllegalStateException("flink-conf/config.yaml configures no Prometheus reporter 'prom'");
        }
        conf.setString("metrics.reporter.prom.port", String.valueOf(port));
        return conf;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static <T> T await(Duration timeout, Supplier<String> what, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            sleep(500);
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
    }
}
