package io.telemetrysuite.aggregate.prometheus;

import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.prometheus.PrometheusSample;
import io.telemetrysuite.prometheus.PrometheusSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How aggregates appear in Prometheus: one gauge sample per figure, stamped with the window's end (event
 * time), labelled with the window's resolution and the aggregate's key. The metric names are a contract
 * with the dashboards in {@code deploy/grafana/} and with users' own queries: add, never rename.
 *
 * <pre>
 *   span       telemetry_red_requests, _errors, _rate_per_second, _latency_ms{quantile}, _latency_max_ms
 *              labels: service, span_name, route, kind
 *   workload   telemetry_workload_requests, _failed, _rate_per_second, _duration_ms{quantile="0.95"},
 *              _duration_avg_ms, _memory_avg_bytes, _cpu_avg_percent          labels: tenant, route
 *   system     telemetry_host_cpu_avg_percent, _cpu_max_percent, _memory_avg_bytes, _memory_max_bytes   labels: host
 *   inference  telemetry_inference_requests, _tokens_per_second, _ttft_p95_ms, _energy_per_token_joules  labels: model
 * </pre>
 *
 * Every series also carries {@code resolution} (10s, 1m, ...): a dashboard picks one, so the finer and
 * coarser windows of the same period never add up twice.
 */
public final class AggregateSeries {
    private AggregateSeries() {}

    /** The aggregate job's Prometheus sink: remote write, retried with backoff, never failing the job. */
    public static PrometheusSink<Aggregate> sink(String remoteWriteUrl) {
        return PrometheusSink.<Aggregate>builder().url(remoteWriteUrl).mapper(AggregateSeries::of).build();
    }

    public static List<PrometheusSample> of(Aggregate a) {
        if (a.signal == null) return List.of();
        List<PrometheusSample> out = new ArrayList<>();
        switch (a.signal) {
            case "span" -> {
                Map<String, String> labels = labels(a, "service", a.serviceName, "span_name", a.spanName, "route", a.route, "kind", a.kind);
                add(out, "telemetry_red_requests", labels, a.count, a);
                add(out, "telemetry_red_errors", labels, a.errorCount, a);
                add(out, "telemetry_red_rate_per_second", labels, a.ratePerSecond, a);
                quantiles(out, "telemetry_red_latency_ms", labels, a);
                add(out, "telemetry_red_latency_max_ms", labels, a.maxMs, a);
            }
            case "workload" -> {
                Map<String, String> labels = labels(a, "tenant", a.tenant, "route", a.route);
                add(out, "telemetry_workload_requests", labels, a.count, a);
                add(out, "telemetry_workload_failed", labels, a.errorCount, a);
                add(out, "telemetry_workload_rate_per_second", labels, a.ratePerSecond, a);
                add(out, "telemetry_workload_duration_ms", with(labels, "quantile", "0.95"), a.p95Ms, a);
                add(out, "telemetry_workload_duration_avg_ms", labels, a.avgMs, a);
                add(out, "telemetry_workload_memory_avg_bytes", labels, a.avgMemoryBytes, a);
                add(out, "telemetry_workload_cpu_avg_percent", labels, a.avgCpuPercent, a);
            }
            case "system" -> {
                Map<String, String> labels = labels(a, "host", a.host);
                add(out, "telemetry_host_cpu_avg_percent", labels, a.avgCpuPercent, a);
                add(out, "telemetry_host_cpu_max_percent", labels, a.maxCpuPercent, a);
                add(out, "telemetry_host_memory_avg_bytes", labels, a.avgMemoryBytes, a);
                add(out, "telemetry_host_memory_max_bytes", labels, a.maxMemoryBytes, a);
            }
            case "inference" -> {
                Map<String, String> labels = labels(a, "model", a.model);
                add(out, "telemetry_inference_requests", labels, a.count, a);
                add(out, "telemetry_inference_tokens_per_second", labels, a.tokensPerSecond, a);
                add(out, "telemetry_inference_ttft_p95_ms", labels, a.p95TimeToFirstTokenMs, a);
                add(out, "telemetry_inference_energy_per_token_joules", labels, a.energyPerTokenJoules, a);
            }
            default -> {
                // Metric-point aggregates are not exported yet: the OTLP metrics reach Prometheus through the Collector.
            }
        }
        return out;
    }

    private static void quantiles(List<PrometheusSample> out, String name, Map<String, String> labels, Aggregate a) {
        add(out, name, with(labels, "quantile", "0.5"), a.p50Ms, a);
        add(out, name, with(labels, "quantile", "0.9"), a.p90Ms, a);
        add(out, name, with(labels, "quantile", "0.95"), a.p95Ms, a);
        add(out, name, with(labels, "quantile", "0.99"), a.p99Ms, a);
    }

    private static Map<String, String> labels(Aggregate a, String... pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("resolution", a.resolution);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isEmpty()) labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    private static void add(List<PrometheusSample> out, String name, Map<String, String> labels, double value, Aggregate a) {
        // A sample stamped with the window's end: Prometheus shows the figure at the time it describes.
        out.add(PrometheusSample.of(name, labels, value, a.windowEnd));
    }
}
