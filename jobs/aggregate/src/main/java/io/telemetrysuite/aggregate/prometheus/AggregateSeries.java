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
 *   metric     gauges and up-down sums: telemetry_metric_gauge_last, _gauge_avg, _gauge_max
 *              monotonic sums: telemetry_metric_increase, telemetry_metric_rate
 *              histograms: telemetry_metric_histogram_count, _sum, _rate, _quantile{quantile}, _min, _max (+ bounds)
 *              labels: metric, service, and the point attributes
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
            case "metric" -> metric(out, a);
            default -> {
                // A signal this version does not know: nothing to export.
            }
        }
        return out;
    }

    /**
     * Metric-point aggregates, labelled {@code metric} (the OTel name), {@code service} and the point
     * attributes (names made Prometheus-safe: other characters become '_'; one that clashes with a label
     * of ours gets the prefix {@code attr_}).
     */
    private static void metric(List<PrometheusSample> out, Aggregate a) {
        Map<String, String> labels = labels(a, "metric", a.metricName, "service", a.serviceName);
        a.labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> labels.putIfAbsent(attributeLabel(e.getKey()), e.getValue()));
        switch (a.metricType) {
            case "SUM" -> {
                add(out, "telemetry_metric_increase", labels, a.sum, a);
                add(out, "telemetry_metric_rate", labels, a.ratePerSecond, a);
            }
            case "HISTOGRAM", "EXPONENTIAL_HISTOGRAM" -> {
                // Explicit layouts are aggregated apart (a series whose bounds changed has two), so the bounds are a label.
                Map<String, String> h = a.bucketBounds.length == 0 ? labels : with(labels, "bounds", bounds(a.bucketBounds));
                add(out, "telemetry_metric_histogram_count", h, a.count, a);
                add(out, "telemetry_metric_histogram_sum", h, a.sum, a);
                add(out, "telemetry_metric_histogram_rate", h, a.ratePerSecond, a);
                add(out, "telemetry_metric_histogram_quantile", with(h, "quantile", "0.5"), a.p50, a);
                add(out, "telemetry_metric_histogram_quantile", with(h, "quantile", "0.9"), a.p90, a);
                add(out, "telemetry_metric_histogram_quantile", with(h, "quantile", "0.95"), a.p95, a);
                add(out, "telemetry_metric_histogram_quantile", with(h, "quantile", "0.99"), a.p99, a);
                if (a.hasMinMax) {
                    add(out, "telemetry_metric_histogram_min", h, a.min, a);
                    add(out, "telemetry_metric_histogram_max", h, a.max, a);
                }
            }
            default -> {
                // Gauges and up-down sums (metricType GAUGE or UPDOWN_SUM).
                add(out, "telemetry_metric_gauge_last", labels, a.last, a);
                add(out, "telemetry_metric_gauge_avg", labels, a.avg, a);
                add(out, "telemetry_metric_gauge_max", labels, a.max, a);
            }
        }
    }

    private static final java.util.Set<String> OWN_LABELS = java.util.Set.of("resolution", "metric", "service", "quantile", "bounds");

    static String attributeLabel(String attribute) {
        String name = attribute.replaceAll("[^A-Za-z0-9_]", "_");
        if (name.isEmpty() || Character.isDigit(name.charAt(0)) || name.startsWith("__") || OWN_LABELS.contains(name)) name = "attr_" + name;
        return name;
    }

    private static String bounds(double[] bounds) {
        StringBuilder text = new StringBuilder();
        for (double b : bounds) {
            if (text.length() > 0) text.append(',');
            text.append(b == Math.rint(b) && Math.abs(b) < 1e15 ? Long.toString((long) b) : Double.toString(b));
        }
        return text.toString();
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
