package io.telemetrysuite.aggregate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.telemetrysuite.aggregate.AggregateRun;
import io.telemetrysuite.aggregate.metrics.MetricAccumulator;
import io.telemetrysuite.aggregate.metrics.SdkMetricsSource;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import io.telemetrysuite.prometheus.PrometheusSample;
import io.telemetrysuite.records.SuiteRecordDecoder;
import io.telemetrysuite.services.PrometheusServer;
import io.telemetrysuite.services.RepoLayout;
import io.telemetrysuite.services.junit.PrometheusExtension;
import io.telemetrysuite.testing.OtlpFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregate job's windows in a real Prometheus, at their event times, with the exact values the
 * job computed; and every PromQL expression of the shipped Grafana dashboards returns data.
 */
@ExtendWith(PrometheusExtension.class)
class AggregatesInPrometheusTest {
    @TempDir Path dir;

    @Test
    void prometheusHoldsTheJobsFiguresAndEveryDashboardQueryReturnsData(PrometheusServer prometheus) throws Exception {
        long base = (System.currentTimeMillis() / 60_000 - 15) * 60_000; // a quarter of an hour ago, on a minute
        Path input = Files.createDirectories(dir.resolve("in"));
        for (int t = 1; t <= 30; t++) {
            Files.write(input.resolve("trace-" + t + ".pb"),
                    OtlpFixtures.traceRequestProto(OtlpFixtures.checkoutTrace(t, (base + t * 2_000L) * 1_000_000L, t % 7 == 0)));
        }
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long ts = base + i * 1_000L;
            WorkloadRecord w = new WorkloadRecord();
            w.timestampMillis = ts;
            w.tenant = i % 2 == 0 ? "acme" : "globex";
            w.requestId = "r" + i;
            w.route = "/chat";
            w.method = "POST";
            w.statusCode = i % 10 == 0 ? 500 : 200;
            w.durationMs = 100 + i;
            w.memoryBytes = 1_000_000L + i;
            w.cpuPercent = 20 + i % 5;
            records.add(SuiteRecordDecoder.encode(w));
            SystemSample s = new SystemSample();
            s.timestampMillis = ts;
            s.host = "host-1";
            s.cpuPercentPerCore = new double[] {10 + i % 50, 30};
            s.memoryUsedBytes = 2_000_000_000L + i;
            s.memoryTotalBytes = 8_000_000_000L;
            records.add(SuiteRecordDecoder.encode(s));
            InferenceSample m = new InferenceSample();
            m.timestampMillis = ts;
            m.model = "llama-3-8b";
            m.inputTokens = 500;
            m.outputTokens = 100 + i;
            m.tokensPerSecond = 40;
            m.timeToFirstTokenMs = 200 + i;
            m.durationMs = 2_500;
            m.energyJoules = 30;
            records.add(SuiteRecordDecoder.encode(m));
        }
        Files.write(input.resolve("records.jsonl"), records);
        writeMetrics(input, base);

        Path out = dir.resolve("out");
        AggregateRun.run(List.of(input), out, null, null, 2, prometheus.remoteWriteUrl(), null);

        List<Aggregate> aggregates = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(AggregateRun.AGGREGATES))) aggregates.add(EventJson.fromLine(line, Aggregate.class));
        // Late updates replace earlier lines: Prometheus keeps the last value written for a series at a timestamp.
        Map<String, Aggregate> latest = aggregates.stream().collect(Collectors.toMap(
                a -> a.resolution + a.signal + a.windowStart + a.serviceName + a.spanName + a.route + a.kind + a.tenant + a.host + a.model
                        + MetricAccumulator.key(a),
                a -> a, (first, second) -> second));
        assertThat(latest.values()).extracting(a -> a.signal).contains("span", "workload", "system", "inference", "metric");
        assertThat(latest.values()).filteredOn(a -> a.signal.equals("metric")).extracting(a -> a.metricType)
                .contains("GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM");

        int checked = 0;
        for (Aggregate a : latest.values()) {
            for (PrometheusSample sample : AggregateSeries.of(a)) {
                Double stored = prometheus.valueAt(selector(sample), sample.timestampMillis() / 1000.0);
                assertThat(stored).as("%s at %d", selector(sample), sample.timestampMillis()).isNotNull();
                assertThat(stored).as(selector(sample)).isEqualTo(sample.value());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(500);

        double start = base / 1000.0 - 60;
        double end = System.currentTimeMillis() / 1000.0;
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(12);
        for (String expression : expressions) {
            for (String resolution : List.of("10s", "1m", "5m")) {
                String promql = expression.replace("$resolution", resolution)
                        .replaceAll("\\$(service|tenant|host|model)\\b", ".*");
                JsonNode result = prometheus.queryRange(promql, start, end, 10).get("result");
                assertThat(result.size()).as("%s returns data", promql).isGreaterThan(0);
            }
        }
    }

    /** Two processes of "checkout" exporting cumulative OTLP metrics every 5 s for a minute (OpenTelemetry SDK). */
    private static void writeMetrics(Path dir, long baseMillis) {
        Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/checkout");
        for (String process : List.of("p1", "p2")) {
            try (SdkMetricsSource source = new SdkMetricsSource(process, "checkout", process, AggregationTemporality.CUMULATIVE,
                    baseMillis * 1_000_000L, process.equals("p1") ? 3 : 1)) {
                var requests = source.meter.counterBuilder("http.server.requests").build();
                var depth = source.meter.gaugeBuilder("queue.depth.now").build();
                var duration = source.meter.histogramBuilder("http.server.request.duration").setUnit("s")
                        .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0, 5.0)).build();
                var ttft = source.meter.histogramBuilder(SdkMetricsSource.EXPONENTIAL).setUnit("s").build();
                for (int s = 1; s < 60; s += 5) {
                    requests.add(s % 7 + 1, route);
                    depth.set(s % 11 * 0.5, route);
                    duration.record(s % 13 * 0.2, route);
                    duration.record(s % 3 + 0.05, route);
                    ttft.record(s * 0.1 + 0.3, route);
                    source.collectAt((baseMillis + s * 1_000L) * 1_000_000L, dir);
                }
            }
        }
    }

    /** An exact PromQL selector for one sample's series. */
    private static String selector(PrometheusSample sample) {
        return sample.metric() + sample.labels().entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The dashboards over the aggregate job's series; the others (service graph, pipeline health) have their own tests. */
    private static final List<String> AGGREGATE_DASHBOARDS = List.of("red.json", "workload.json", "resources.json");

    private static List<String> dashboardExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (String dashboard : AGGREGATE_DASHBOARDS) {
            Path file = RepoLayout.root().resolve("deploy/grafana").resolve(dashboard);
            for (JsonNode panel : EventJson.mapper().readTree(file.toFile()).get("panels")) {
                for (JsonNode target : panel.get("targets")) expressions.add(target.get("expr").asText());
            }
        }
        return expressions;
    }
}
