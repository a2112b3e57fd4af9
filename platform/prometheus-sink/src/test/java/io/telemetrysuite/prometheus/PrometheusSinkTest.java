package io.telemetrysuite.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.junit.PrometheusExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a Flink MiniCluster writing to the real Prometheus 2.42: samples with event
 * timestamps days old are found at exactly those timestamps, a Prometheus restart in the middle
 * of a run loses nothing and does not fail the job, an outage opens the circuit breaker (seen in the
 * job's metrics), and a full buffer drops its oldest samples.
 */
@ExtendWith(PrometheusExtension.class)
class PrometheusSinkTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void oldEventTimestampsAreQueryableAtTheirTimes(PrometheusServer prometheus) throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        int n = 1_000;

        StreamExecutionEnvironment env = environment();
        env.setParallelism(2);
        env.fromSequence(0, n - 1)
                .sinkTo(PrometheusSink.<Long>builder()
                        .url(prometheus.remoteWriteUrl())
                        // Small batches so that one run sends many requests from both subtasks.
                        .maxBatchSamples(64)
                        .mapper(i -> List.of(
                                // Two series per element, 10 s apart: what a windowed aggregate looks like.
                                PrometheusSample.of("sink_test_value", Map.of("run", run, "series", "a"), i * 1.5, base + i * 10_000),
                                PrometheusSample.of("sink_test_value", Map.of("run", run, "series", "b"), -i, base + i * 10_000)))
                        .build());
        env.execute("prometheus-sink-old-timestamps");

        String a = "sink_test_value{run=\"" + run + "\",series=\"a\"}";
        String b = "sink_test_value{run=\"" + run + "\",series=\"b\"}";
        for (long i : new long[] {0, 1, 499, 998, 999}) {
            double at = (base + i * 10_000) / 1000.0;
            assertThat(prometheus.valueAt(a, at)).as("a at sample %d", i).isEqualTo(i * 1.5);
            assertThat(prometheus.valueAt(b, at)).as("b at sample %d", i).isEqualTo((double) -i);
        }
        double end = (base + (n - 1) * 10_000L) / 1000.0;
        assertThat(prometheus.valueAt("count_over_time(" + a + "[4h])", end)).isEqualTo((double) n);
        assertThat(prometheus.valueAt("sum_over_time(" + a + "[4h])", end)).isEqualTo(1.5 * n * (n - 1) / 2);
    }

    @Test
    void prometheusRestartMidRunLosesNothing(@TempDir Path dataDir) throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        int n = 600;
        PrometheusServer prometheus = PrometheusServer.builder().dataDir(dataDir).start();
        int port = prometheus.port();
        String metric = "restart_test_value{run=\"" + run + "\"}";
        try {
            StreamExecutionEnvironment env = environment();
            env.setParallelism(1);
            env.enableCheckpointing(300);
            // 600 elements at 100 per second: the run lasts about 6 s, with Prometheus away for 2 s of it.
            DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, n, RateLimiterStrategy.perSecond(100), Types.LONG);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "slow sequence")
                    .sinkTo(PrometheusSink.<Long>builder()
                            .url(prometheus.remoteWriteUrl())
                            .flushInterval(Duration.ofMillis(100))
                            .maxRetryDelay(Duration.ofMillis(400))
                            .requestTimeout(Duration.ofSeconds(2))
                            .mapper(i -> List.of(PrometheusSample.of("restart_test_value", Map.of("run", run), i, base + i * 1000)))
                            .build());
            JobClient job = env.executeAsync("prometheus-sink-restart");

            double end = (base + (n - 1) * 1000L) / 1000.0;
            String count = "count_over_time(" + metric + "[1h])";
            awaitCount(prometheus, count, end, c -> c > 0);
            prometheus.stop();
            Thread.sleep(2_000);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            prometheus = PrometheusServer.builder().dataDir(dataDir).port(port).start();

            JobExecutionResult result = job.getJobExecutionResult().get();
            assertThat(result.getNetRuntime()).isPositive();
            assertThat(prometheus.valueAt(count, end)).isEqualTo((double) n);
            assertThat(prometheus.valueAt("sum_over_time(" + metric + "[1h])", end)).isEqualTo(n * (n - 1) / 2.0);
            assertThat(prometheus.valueAt(metric, (base + 321_000) / 1000.0)).isEqualTo(321.0);
        } finally {
            prometheus.stop();
        }
    }

    @Test
    void outageOpensTheBreakerKeepsTheJobRunningAndLosesNothing(@TempDir Path dataDir, @InjectClusterClient ClusterClient<?> flink)
            throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        int n = 600;
        PrometheusServer prometheus = PrometheusServer.builder().dataDir(dataDir).start();
        int port = prometheus.port();
        FlinkRestMetrics metrics = new FlinkRestMetrics(flink.getWebInterfaceURL());
        String metric = "outage_test_value{run=\"" + run + "\"}";
        try {
            StreamExecutionEnvironment env = environment();
            env.setParallelism(2);
            env.enableCheckpointing(300);
            DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, n, RateLimiterStrategy.perSecond(100), Types.LONG);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "slow sequence")
                    .sinkTo(PrometheusSink.<Long>builder()
                            .url(prometheus.remoteWriteUrl())
                            .flushInterval(Duration.ofMillis(100))
                            .failureThreshold(2)
                            .initialRetryDelay(Duration.ofMillis(200))
                            .maxRetryDelay(Duration.ofSeconds(1))
                            .requestTimeout(Duration.ofSeconds(2))
                            .mapper(i -> List.of(PrometheusSample.of("outage_test_value", Map.of("run", run), i, base + i * 1000)))
                            .build())
                    .uid("prometheus").name("Prometheus");
            JobClient job = env.executeAsync("prometheus-sink-outage");

            double end = (base + (n - 1) * 1000L) / 1000.0;
            String count = "count_over_time(" + metric + "[1h])";
            awaitCount(prometheus, count, end, c -> c > 0);
            prometheus.stop();
            assertThat(metrics.await(job.getJobID(), "prometheusSink.breakerState", "max", s -> s == 2, Duration.ofSeconds(60)))
                    .as("breaker open").isEqualTo(2.0);
            assertThat(metrics.await(job.getJobID(), "prometheusSink.samplesBuffered", "sum", b -> b > 0, Duration.ofSeconds(60)))
                    .isPositive();
            assertThat(metrics.aggregate(job.getJobID(), "prometheusSink.failedAttempts", "sum")).isGreaterThanOrEqualTo(2);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            prometheus = PrometheusServer.builder().dataDir(dataDir).port(port).start();

            job.getJobExecutionResult().get();
            assertThat(prometheus.valueAt(count, end)).isEqualTo((double) n);
            assertThat(prometheus.valueAt("sum_over_time(" + metric + "[1h])", end)).isEqualTo(n * (n - 1) / 2.0);
        } finally {
            prometheus.stop();
        }
    }

    @Test
    void aFullBufferDropsTheOldestSamplesAndCountsThem(@TempDir Path dataDir, @InjectClusterClient ClusterClient<?> flink)
            throws Exception {
        String run = UUID.randomUUID().toString();
        long base = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // Prometheus is not there yet
        }
        FlinkRestMetrics metrics = new FlinkRestMetrics(flink.getWebInterfaceURL());
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.fromSequence(0, 99)
                .sinkTo(PrometheusSink.<Long>builder()
                        .url("http://127.0.0.1:" + port + "/api/v1/write")
                        .maxBatchSamples(10)
                        .maxBufferedSamples(30)
                        .flushInterval(Duration.ofMillis(100))
                        .initialRetryDelay(Duration.ofMillis(200))
                        .maxRetryDelay(Duration.ofSeconds(1))
                        .requestTimeout(Duration.ofSeconds(2))
                        .mapper(i -> List.of(PrometheusSample.of("overflow_test_value", Map.of("run", run), i, base + i * 1000)))
                        .build())
                .uid("prometheus").name("Prometheus");
        JobClient job = env.executeAsync("prometheus-sink-overflow");
        // The input is done; the writer holds the newest 30 and waits for Prometheus.
        assertThat(metrics.await(job.getJobID(), "prometheusSink.samplesOverflowed", "sum", d -> d == 70, Duration.ofSeconds(60)))
                .isEqualTo(70.0);
        assertThat(metrics.aggregate(job.getJobID(), "prometheusSink.samplesBuffered", "sum")).isEqualTo(30.0);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

        PrometheusServer prometheus = PrometheusServer.builder().dataDir(dataDir).port(port).start();
        try {
            job.getJobExecutionResult().get();
            String metric = "overflow_test_value{run=\"" + run + "\"}";
            double end = (base + 99_000) / 1000.0;
            assertThat(prometheus.valueAt("count_over_time(" + metric + "[1h])", end)).isEqualTo(30.0);
            assertThat(prometheus.valueAt("sum_over_time(" + metric + "[1h])", end)).isEqualTo((70 + 99) * 30 / 2.0);
            assertThat(prometheus.valueAt("min_over_time(" + metric + "[1h])", end)).isEqualTo(70.0);
        } finally {
            prometheus.stop();
        }
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        // A failing sink must fail the test, not be retried into success.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private static void awaitCount(PrometheusServer prometheus, String promql, double at, java.util.function.DoublePredicate done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Double value = prometheus.valueAt(promql, at);
            if (value != null && done.test(value)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("Timed out waiting for " + promql);
    }
}
