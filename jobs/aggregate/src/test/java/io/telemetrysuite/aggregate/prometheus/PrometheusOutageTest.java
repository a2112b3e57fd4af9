package io.telemetrysuite.aggregate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrysuite.aggregate.AggregateConfig;
import io.telemetrysuite.aggregate.AggregateJob;
import io.telemetrysuite.aggregate.FinalWindows;
import io.telemetrysuite.ingest.IngestJob;
import io.telemetrysuite.ingest.IngestStreams;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.testing.TestSpans;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregate job writing its final windows to a real Prometheus that is stopped mid-run and started
 * again on the same port and data: the job keeps running, and afterwards every final window of every
 * resolution is in Prometheus with its exact value, and no other sample. A Prometheus of its own (not
 * the shared one of {@code PrometheusExtension}), since other test classes use that one meanwhile.
 */
class PrometheusOutageTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** 6000 spans, one every 100 ms of event time (10 minutes), at 300 per second: a run of about 20 s. */
    private static final int N = 6_000;
    private static final long STEP_MS = 100;

    @TempDir Path dataDir;

    @Test
    void theJobSurvivesPrometheusBeingStoppedAndEveryFinalWindowArrivesAfterTheRestart() throws Exception {
        String service = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        // On an hour, two hours ago: the 1 h window holds the whole run.
        long base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli();
        PrometheusServer prometheus = PrometheusServer.builder().dataDir(dataDir).start();
        int port = prometheus.port();
        try {
            Configuration conf = IngestJob.baseConfiguration();
            // A sink failure must fail the test, not be restarted into success.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            env.enableCheckpointing(500);
            AggregateConfig config = new AggregateConfig();
            DataGeneratorSource<Span> spans = new DataGeneratorSource<>(i -> span(service, base, i), N, RateLimiterStrategy.perSecond(300),
                    TypeInformation.of(Span.class));
            IngestStreams in = new IngestStreams(
                    env.fromSource(spans, WatermarkStrategy.noWatermarks(), "spans").setParallelism(1),
                    empty(env, MetricPoint.class), empty(env, LogRecord.class), empty(env, WorkloadRecord.class),
                    empty(env, SystemSample.class), empty(env, InferenceSample.class), empty(env, DeadLetter.class));
            FinalWindows.of(AggregateJob.buildTopology(in, config).aggregates(), config)
                    .sinkTo(AggregateSeries.sink(prometheus.remoteWriteUrl())).name("Prometheus sink");
            JobClient job = env.executeAsync("aggregate prometheus outage");

            String tenSeconds = "telemetry_red_requests{service=\"" + service + "\",resolution=\"10s\"}";
            double end = (base + N * STEP_MS) / 1000.0;
            awaitValue(prometheus, "count_over_time(" + tenSeconds + "[1h])", end, Duration.ofMinutes(2));
            prometheus.stop();
            Thread.sleep(3_000);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            prometheus = PrometheusServer.builder().dataDir(dataDir).port(port).start();
            Double before = prometheus.valueAt("count_over_time(" + tenSeconds + "[1h])", end);
            job.getJobExecutionResult().get();
            // Some 10 s windows were final only after the restart: the outage happened mid-run.
            assertThat(before).as("10 s windows in Prometheus when it came back").isLessThan(60.0);

            List<String> missing = new ArrayList<>();
            int checked = 0;
            for (Duration resolutionLength : config.resolutions) {
                String resolution = AggregateConfig.label(resolutionLength);
                long length = resolutionLength.toMillis();
                long windows = Math.max(1, N * STEP_MS / length);
                String selector = "{service=\"" + service + "\",resolution=\"" + resolution + "\"}";
                for (long w = 0; w < windows; w++) {
                    double at = (base + (w + 1) * length) / 1000.0;
                    double count = Math.min(length, N * STEP_MS) / STEP_MS;
                    check(prometheus, "telemetry_red_requests" + selector, at, count, missing);
                    check(prometheus, "telemetry_red_errors" + selector, at, count / 10, missing);
                    check(prometheus, "telemetry_red_rate_per_second" + selector, at, count / (length / 1000.0), missing);
                    check(prometheus, "telemetry_red_latency_max_ms" + selector, at, 20.0, missing);
                    checked++;
                }
                // Exactly one sample per window: nothing lost and nothing written twice.
                assertThat(prometheus.valueAt("count_over_time(telemetry_red_requests" + selector + "[3h])", end + 3_600))
                        .as(resolution).isEqualTo((double) windows);
            }
            assertThat(missing).isEmpty();
            assertThat(checked).isEqualTo(60 + 10 + 2 + 1);
        } finally {
            prometheus.stop();
        }
    }

    /** Span number i: at base + i·100 ms, 20 ms long, every 10th an error. */
    private static Span span(String service, long base, long i) {
        String id = Long.toHexString(i + 1);
        return TestSpans.span("b".repeat(32 - id.length()) + id, "c".repeat(16 - id.length()) + id, service,
                (base + i * STEP_MS) * TestSpans.MS, 20 * TestSpans.MS, i % 10 == 0);
    }

    private static void check(PrometheusServer prometheus, String promql, double at, double expected, List<String> missing) {
        Double value = prometheus.valueAt(promql, at);
        if (value == null || value != expected) missing.add(promql + " @" + at + " = " + value + ", expected " + expected);
    }

    private static <T> DataStream<T> empty(StreamExecutionEnvironment env, Class<T> type) throws Exception {
        // fromData cannot produce nothing: one placeholder, filtered out.
        return env.fromData(List.of(type.getDeclaredConstructor().newInstance()), TypeInformation.of(type)).setParallelism(1)
                .filter(x -> false).setParallelism(1);
    }

    private static void awaitValue(PrometheusServer prometheus, String promql, double at, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Double value = prometheus.valueAt(promql, at);
            if (value != null && value > 0) return;
            Thread.sleep(50);
        }
        throw new AssertionError("Timed out waiting for " + promql);
    }
}
