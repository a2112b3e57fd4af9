package io.telemetrysuite.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Sends samples to a Prometheus remote-write endpoint ({@code POST /api/v1/write}, protocol 1.0) with
 * Java's {@link HttpClient}, and says whether the caller should try again.
 *
 * <p>Retry or not follows the remote-write spec: connection failures, timeouts, 5xx and 429 are
 * worth retrying (the server is down, busy or restarting); any other 4xx means the server will never
 * take this request (e.g. samples too old for the TSDB: Prometheus answers 400 "out of bounds"), so
 * retrying would only block everything behind it. One exception: Prometheus 2.42 answers
 * {@code 500 too old sample} for samples older than its out-of-order window; that is as final as a
 * 400 and is treated as one.
 */
public final class RemoteWriteClient {
    /** How a request ended. */
    public enum Outcome {
        /** Stored (2xx). */
        ACCEPTED,
        /** Not stored, but may be later: try again. */
        RETRYABLE,
        /** Not stored, never will be: drop it. */
        REJECTED
    }

    /**
     * The outcome, the HTTP status (0 if there was no response) and what the server or the
     * connection said.
     */
    public record Result(Outcome outcome, int status, String message) {}

    private static final String TOO_OLD = "too old sample";

    private final URI url;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param url the remote-write endpoint, e.g. {@code http://127.0.0.1:9090/api/v1/write}
     * @param requestTimeout how long one request may take, connecting included
     */
    public RemoteWriteClient(String url, Duration requestTimeout) {
        this.url = URI.create(Objects.requireNonNull(url, "url"));
        if (!"http".equals(this.url.getScheme()) && !"https".equals(this.url.getScheme())) {
            throw new IllegalArgumentException("Not an http(s) remote-write URL: " + url);
        }
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** The endpoint. */
    public URI url() {
        return url;
    }

    /**
     * Sends {@code samples} in one request. Does not throw for server or network failures: they are
     * in the result.
     *
     * @throws InterruptedException if the thread is interrupted (the Flink task is being cancelled)
     */
    public Result send(List<PrometheusSample> samples) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("User-Agent", "telemetry-suite-prometheus-sink")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteEncoder.encodeCompressed(samples)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Result(Outcome.RETRYABLE, 0, e.toString());
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body().strip();
        if (status / 100 == 2) return new Result(Outcome.ACCEPTED, status, body);
        // Prometheus 2.42 answers 500 "too old sample" for samples older than its out-of-order window
        // (storage.ErrTooOldSample is missing from its list of 400s). Retrying them would block every
        // sample behind them forever, so they count as rejected.
        if (status == 500 && body.contains(TOO_OLD)) return new Result(Outcome.REJECTED, status, body);
        if (status / 100 == 5 || status == 429) return new Result(Outcome.RETRYABLE, status, body);
        return new Result(Outcome.REJECTED, status, body);
    }
}
