package io.telemetrysuite.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real Prometheus server (the Debian package's {@code /usr/bin/prometheus}, 2.42) running as a
 * child process on a free loopback port, with its remote-write receiver on
 * ({@code POST /api/v1/write}).
 *
 * <p>Tests use it to check what a job writes (the Prometheus sink), what Flink's Prometheus reporter
 * exposes (pass its port as a {@linkplain Builder#scrapeTarget(String) scrape target}), and that
 * dashboards' PromQL means what it says, against the same server that runs in production.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.builder().start()) {
 *     sinkConfig.url(prometheus.remoteWriteUrl());
 *     ...
 *     JsonNode result = prometheus.queryAt("requests_total{service=\"a\"}", epochSeconds);
 * }
 * }</pre>
 *
 * <p>Samples with old timestamps are accepted: the configuration sets
 * {@code storage.tsdb.out_of_order_time_window} (default 30 days), because an empty head takes its
 * time range from the first sample it gets, and without the window anything older than about an
 * hour before the newest sample is rejected as out of bounds ({@code 400} to the writer). Retention
 * is 10 years, so nothing written by a test ages out under it.
 *
 * <p>Files, all in {@link #dataDir()}: {@code prometheus.yml}, the server's output
 * {@code prometheus.log} and the TSDB under {@code data/}. A server started again on the same data
 * directory (and port, if fixed) finds every sample again: the write-ahead log is replayed.
 */
public final class PrometheusServer extends LocalServer {
    /** Where Debian installs the binary. */
    public static final String DEFAULT_BINARY = "/usr/bin/prometheus";
    /** System property naming another binary. */
    public static final String BINARY_PROPERTY = "telemetry.prometheus.binary";

    private final List<String> scrapeTargets;
    private final Duration scrapeInterval;
    private final Duration outOfOrderWindow;
    private final List<Path> ruleFiles;
    private final List<String> alertmanagers;

    private PrometheusServer(Builder b) {
        super("Prometheus", "prometheus", resolveBinary(b.binary, BINARY_PROPERTY, DEFAULT_BINARY, "prometheus"),
                b.port, b.dataDir, b.startTimeout, b.stopTimeout, b.extraArgs);
        this.scrapeTargets = List.copyOf(b.scrapeTargets);
        this.scrapeInterval = b.scrapeInterval;
        this.outOfOrderWindow = b.outOfOrderWindow;
        this.ruleFiles = List.copyOf(b.ruleFiles);
        this.alertmanagers = List.copyOf(b.alertmanagers);
    }

    /** A builder with the defaults: a free port, a temporary data directory, nothing scraped. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public PrometheusServer start() {
        super.start();
        return this;
    }

    /** {@code http://127.0.0.1:PORT/api/v1/write}, where remote-write clients send samples. */
    public String remoteWriteUrl() {
        return url() + "/api/v1/write";
    }

    /** The configuration file Prometheus was started with. */
    @Override
    public Path configFile() {
        return dataDir().resolve("prometheus.yml");
    }

    /**
     * An instant query at the server's current time ({@code GET /api/v1/query}).
     *
     * @return the response's {@code data} object: {@code resultType} and {@code result}
     * @throws IllegalStateException if the query fails (bad PromQL, server down); the message carries
     *     Prometheus' error
     */
    public JsonNode query(String promql) {
        return api("/api/v1/query?query=" + encode(promql));
    }

    /**
     * An instant query evaluated at {@code epochSeconds} (fractions allowed). Prometheus looks back
     * 5 minutes from there for each series' latest sample.
     *
     * @return the response's {@code data} object: {@code resultType} and {@code result}
     */
    public JsonNode queryAt(String promql, double epochSeconds) {
        return api("/api/v1/query?query=" + encode(promql) + "&time=" + epochSeconds);
    }

    /**
     * A range query ({@code GET /api/v1/query_range}) from {@code startSeconds} to {@code endSeconds}
     * every {@code stepSeconds}.
     *
     * @return the response's {@code data} object ({@code resultType} {@code matrix})
     */
    public JsonNode queryRange(String promql, double startSeconds, double endSeconds, double stepSeconds) {
        return api("/api/v1/query_range?query=" + encode(promql) + "&start=" + startSeconds + "&end=" + endSeconds
                + "&step=" + stepSeconds);
    }

    /**
     * The single value of an instant query at {@code epochSeconds}, or null when the result is empty.
     *
     * @throws IllegalStateException if the result holds more than one series
     */
    public Double valueAt(String promql, double epochSeconds) {
        JsonNode data = queryAt(promql, epochSeconds);
        JsonNode result = data.path("result");
        if ("scalar".equals(data.path("resultType").asText())) return Double.valueOf(result.get(1).asText());
        if (result.size() == 0) return null;
        if (result.size() > 1) throw new IllegalStateException("More than one series for " + promql + ": " + result);
        return Double.valueOf(result.get(0).path("value").get(1).asText());
    }

    /**
     * The alerts the rule evaluator holds ({@code GET /api/v1/alerts}): the response's {@code data}
     * object, whose {@code alerts} array has each alert's {@code labels} and {@code state}
     * ({@code pending} or {@code firing}).
     */
    public JsonNode alerts() {
        return api("/api/v1/alerts");
    }

    /** The loaded rule groups and each rule's health ({@code GET /api/v1/rules}): the response's {@code data} object. */
    public JsonNode rules() {
        return api("/api/v1/rules");
    }

    /** The scrape targets' health ({@code GET /api/v1/targets}): the response's {@code data} object. */
    public JsonNode targets() {
        return api("/api/v1/targets");
    }

    private JsonNode api(String pathAndQuery) {
        JsonNode body = getJson(pathAndQuery);
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus " + url() + pathAndQuery + " failed: " + body);
        }
        return body.path("data");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    protected List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--config.file=" + configFile());
        args.add("--web.listen-address=127.0.0.1:" + port());
        args.add("--web.enable-remote-write-receiver");
        // /-/quit lets a test stop it over HTTP too; lifecycle also allows /-/reload of the config.
        args.add("--web.enable-lifecycle");
        args.add("--storage.tsdb.path=" + dataDir().resolve("data"));
        // Retention counts back from the newest block, not from now: generous so that tests writing
        // old timestamps next to recent ones keep both.
        args.add("--storage.tsdb.retention.time=3650d");
        args.add("--log.level=info");
        return args;
    }

    @Override
    protected String config() {
        StringBuilder yml = new StringBuilder();
        yml.append("# Written by ").append(getClass().getName()).append('\n');
        yml.append("global:\n");
        yml.append("  scrape_interval: ").append(scrapeInterval.toMillis()).append("ms\n");
        yml.append("  evaluation_interval: ").append(scrapeInterval.toMillis()).append("ms\n");
        yml.append("storage:\n");
        yml.append("  tsdb:\n");
        // Since 2.39: accept samples up to this far behind the newest one (remote write with event
        // timestamps, restarts that re-send a batch).
        yml.append("    out_of_order_time_window: ").append(outOfOrderWindow.toSeconds()).append("s\n");
        if (!scrapeTargets.isEmpty()) {
            yml.append("scrape_configs:\n");
            yml.append("  - job_name: telemetry\n");
            yml.append("    static_configs:\n");
            yml.append("      - targets:\n");
            for (String target : scrapeTargets) yml.append("          - '").append(target).append("'\n");
        }
        if (!ruleFiles.isEmpty()) {
            yml.append("rule_files:\n");
            for (Path rules : ruleFiles) yml.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        if (!alertmanagers.isEmpty()) {
            yml.append("alerting:\n");
            yml.append("  alertmanagers:\n");
            yml.append("    - static_configs:\n");
            yml.append("        - targets:\n");
            for (String target : alertmanagers) yml.append("            - '").append(target).append("'\n");
        }
        return yml.toString();
    }

    @Override
    protected URI readinessUri() {
        return URI.create(url() + "/-/ready");
    }

    /** Options for a {@link PrometheusServer}; every one has a default. */
    public static final class Builder extends LocalServer.BuilderBase<Builder> {
        private final List<String> scrapeTargets = new ArrayList<>();
        private Duration scrapeInterval = Duration.ofSeconds(1);
        private Duration outOfOrderWindow = Duration.ofDays(30);
        private final List<Path> ruleFiles = new ArrayList<>();
        private final List<String> alertmanagers = new ArrayList<>();

        private Builder() {}

        /**
         * A rule file ({@code rule_files}) to evaluate every scrape interval, e.g.
         * {@code deploy/prometheus/pipeline-alerts.yml}. Prometheus refuses to start on a file that
         * does not parse, so a broken rule fails {@link #start()} with the log's complaint.
         */
        public Builder ruleFile(Path rules) {
            ruleFiles.add(Objects.requireNonNull(rules));
            return this;
        }

        /**
         * An Alertmanager that firing alerts are sent to ({@code alerting.alertmanagers}): its
         * {@code http://host:port} URL (e.g. {@link AlertmanagerServer#url()}) or {@code host:port}.
         */
        public Builder alertmanager(String urlOrHostPort) {
            String target = Objects.requireNonNull(urlOrHostPort);
            if (target.contains("://")) {
                URI uri = URI.create(target);
                if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                    throw new IllegalArgumentException("An Alertmanager under a path prefix is not supported: " + target);
                }
                target = uri.getHost() + ":" + uri.getPort();
            }
            alertmanagers.add(target);
            return this;
        }

        /** A {@code host:port} to scrape {@code /metrics} from, e.g. Flink's Prometheus reporter. */
        public Builder scrapeTarget(String hostPort) {
            scrapeTargets.add(Objects.requireNonNull(hostPort));
            return this;
        }

        /** Scrape (and rule evaluation) interval; default 1 s, so tests need not wait long. */
        public Builder scrapeInterval(Duration scrapeInterval) {
            if (scrapeInterval.toMillis() < 1) throw new IllegalArgumentException("scrapeInterval too small: " + scrapeInterval);
            this.scrapeInterval = scrapeInterval;
            return this;
        }

        /** {@code storage.tsdb.out_of_order_time_window}; default 30 days, zero turns it off. */
        public Builder outOfOrderWindow(Duration window) {
            if (window.isNegative()) throw new IllegalArgumentException("Negative window: " + window);
            this.outOfOrderWindow = window;
            return this;
        }

        /** The configured server, not yet started. */
        public PrometheusServer build() {
            return new PrometheusServer(this);
        }

        /** Builds and {@linkplain PrometheusServer#start() starts} the server. */
        public PrometheusServer start() {
            return build().start();
        }
    }
}
