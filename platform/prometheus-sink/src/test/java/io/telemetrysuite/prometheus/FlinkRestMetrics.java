package io.telemetrysuite.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.DoublePredicate;
import org.apache.flink.api.common.JobID;

/**
 * Reads a running job's operator metrics through Flink's REST API, as an operator (or Prometheus'
 * Flink reporter) would see them: {@code /jobs/:id/vertices/:v/subtasks/metrics}, aggregated over
 * subtasks.
 */
final class FlinkRestMetrics {
    private final URI rest;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRestMetrics(String restUrl) {
        this.rest = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
    }

    /**
     * {@code agg} ({@code min}, {@code max}, {@code sum}) over the subtasks of the metric whose name
     * ends with {@code suffix} (e.g. {@code prometheusSink.breakerState}), or NaN if no vertex has it yet.
     */
    double aggregate(JobID job, String suffix, String agg) throws IOException, InterruptedException {
        for (JsonNode vertex : get("jobs/" + job).path("vertices")) {
            String base = "jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            for (JsonNode metric : get(base)) {
                String id = metric.path("id").asText();
                if (!id.endsWith(suffix)) continue;
                JsonNode values = get(base + "?get=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&agg=" + agg);
                if (values.size() > 0 && values.get(0).has(agg)) return values.get(0).path(agg).asDouble();
            }
        }
        return Double.NaN;
    }

    /** Waits until {@link #aggregate} satisfies {@code until}; returns the value that did. */
    double await(JobID job, String suffix, String agg, DoublePredicate until, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            value = aggregate(job, suffix, agg);
            if (!Double.isNaN(value) && until.test(value)) return value;
            Thread.sleep(100);
        }
        throw new AssertionError("Timed out waiting for " + agg + " of " + suffix + " (last " + value + ")");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
        return json.readTree(response.body());
    }
}
