package io.telemetrysuite.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrysuite.model.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Posts alerts to Alertmanager's HTTP API v2 ({@code POST /api/v2/alerts}) with Java's
 * {@link HttpClient}, and says whether the caller should try again.
 *
 * <p>Connection failures, timeouts, 5xx and 429 are worth retrying (Alertmanager is down, busy or
 * restarting); any other 4xx means it will never take this request (Alertmanager 0.25 answers 400 for
 * one invalid alert and drops the whole request), so retrying would only block everything behind it.
 */
public final class AlertmanagerClient {
    /** How a request ended. */
    public enum Outcome {
        /** Taken (2xx). */
        ACCEPTED,
        /** Not taken, but may be later: try again. */
        RETRYABLE,
        /** Not taken, never will be: drop it. */
        REJECTED
    }

    /** The outcome, the HTTP status (0 if there was no response) and what the server or the connection said. */
    public record Result(Outcome outcome, int status, String message) {}

    private final URI alertsUrl;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param baseUrl Alertmanager's address, e.g. {@code http://127.0.0.1:9093} (a trailing slash or a
     *     path prefix, for an Alertmanager behind {@code --web.route-prefix}, is fine)
     * @param requestTimeout how long one request may take, connecting included
     */
    public AlertmanagerClient(String baseUrl, Duration requestTimeout) {
        URI base = URI.create(Objects.requireNonNull(baseUrl, "alertmanagerBaseUrl"));
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("Not an http(s) Alertmanager address: " + baseUrl + " (e.g. http://127.0.0.1:9093)");
        }
        String s = base.toString();
        this.alertsUrl = URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/api/v2/alerts");
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** The endpoint alerts are posted to. */
    public URI url() {
        return alertsUrl;
    }

    /**
     * Posts {@code alerts} in one request. Does not throw for server or network failures: they are in
     * the result.
     *
     * @param nowMillis the moment of sending, from which firing alerts' {@code endsAt} is counted
     * @throws InterruptedException if the thread is interrupted (the Flink task is being cancelled)
     */
    public Result post(List<Alert> alerts, long nowMillis, long validForMillis, long oneShotMillis, String generatorUrl)
            throws InterruptedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(AlertmanagerAlerts.body(json, alerts, nowMillis, validForMillis, oneShotMillis, generatorUrl));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode alerts as JSON", e);
        }
        HttpRequest request = HttpRequest.newBuilder(alertsUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "telemetry-suite-alertmanager-sink")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Result(Outcome.RETRYABLE, 0, e.toString());
        }
        int status = response.statusCode();
        String message = response.body() == null ? "" : response.body().strip();
        if (status / 100 == 2) return new Result(Outcome.ACCEPTED, status, message);
        if (status / 100 == 5 || status == 429) return new Result(Outcome.RETRYABLE, status, message);
        return new Result(Outcome.REJECTED, status, message);
    }
}
