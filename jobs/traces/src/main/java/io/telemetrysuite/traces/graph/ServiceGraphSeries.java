package io.telemetrysuite.traces.graph;

import io.telemetrysuite.model.ServiceGraphEdge;
import io.telemetrysuite.prometheus.PrometheusSample;
import io.telemetrysuite.prometheus.PrometheusSink;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the service graph appears in Prometheus: the {@code servicegraph} connector's metric names and
 * labels, so dashboards made for the Collector (and Grafana's service map) work unchanged.
 *
 * <pre>
 *   traces_service_graph_request_total                        counter
 *   traces_service_graph_request_failed_total                 counter, only on series with failed="true"
 *   traces_service_graph_request_server_seconds_bucket{le}    histogram: _bucket, _sum, _count
 *   traces_service_graph_request_client_seconds_bucket{le}    histogram: _bucket, _sum, _count
 *   labels on all of them: client, server, connection_type (absent when empty), failed ("true"/"false")
 * </pre>
 *
 * Samples carry the record's event time. {@code le} is written as the Collector's exporters write it
 * ({@code 0.002}, {@code 1}, {@code 1.4}, {@code +Inf}).
 */
public final class ServiceGraphSeries {
    public static final String REQUEST_TOTAL = "traces_service_graph_request_total";
    public static final String REQUEST_FAILED_TOTAL = "traces_service_graph_request_failed_total";
    public static final String SERVER_SECONDS = "traces_service_graph_request_server_seconds";
    public static final String CLIENT_SECONDS = "traces_service_graph_request_client_seconds";

    private ServiceGraphSeries() {}

    /** The service graph's Prometheus sink: remote write, retried with backoff, never failing the job. */
    public static PrometheusSink<ServiceGraphEdge> sink(String remoteWriteUrl) {
        return PrometheusSink.<ServiceGraphEdge>builder().url(remoteWriteUrl).mapper(ServiceGraphSeries::of).build();
    }

    /** The samples of one series' totals. */
    public static List<PrometheusSample> of(ServiceGraphEdge e) {
        Map<String, String> labels = labels(e);
        long t = e.timestampMillis;
        List<PrometheusSample> out = new ArrayList<>();
        out.add(PrometheusSample.of(REQUEST_TOTAL, labels, e.requests, t));
        if (e.failedSeries) out.add(PrometheusSample.of(REQUEST_FAILED_TOTAL, labels, e.failed, t));
        histogram(out, SERVER_SECONDS, labels, e.bucketBounds, e.serverBucketCounts, e.serverSecondsSum, e.requests, t);
        histogram(out, CLIENT_SECONDS, labels, e.bucketBounds, e.clientBucketCounts, e.clientSecondsSum, e.requests, t);
        return out;
    }

    /** The labels of a record's series, without {@code le}. */
    public static Map<String, String> labels(ServiceGraphEdge e) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("client", e.client);
        labels.put("server", e.server);
        labels.put("connection_type", e.connectionType);
        labels.put("failed", Boolean.toString(e.failedSeries));
        return labels;
    }

    /** A bucket bound as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} writes it. */
    public static String le(double bound) {
        return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    private static void histogram(List<PrometheusSample> out, String name, Map<String, String> labels, double[] bounds,
                                  long[] counts, double sum, long count, long t) {
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts.length > i ? counts[i] : 0;
            out.add(PrometheusSample.of(name + "_bucket", with(labels, "le", le(bounds[i])), cumulative, t));
        }
        out.add(PrometheusSample.of(name + "_bucket", with(labels, "le", "+Inf"), count, t));
        out.add(PrometheusSample.of(name + "_sum", labels, sum, t));
        out.add(PrometheusSample.of(name + "_count", labels, count, t));
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new TreeMap<>(labels);
        copy.put(name, value);
        return copy;
    }
}
