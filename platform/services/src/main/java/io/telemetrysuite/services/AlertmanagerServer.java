package io.telemetrysuite.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus Alertmanager (the Debian package's {@code /usr/bin/prometheus-alertmanager},
 * 0.25) running as a child process on a free loopback port, clustering off.
 *
 * <p>Tests use it to check the alerts the jobs raise: post them with {@link #postAlerts(String)} or
 * point a Prometheus rule evaluator or a job at {@link #url()}, and read back what Alertmanager holds
 * with {@link #alerts()}. Its configuration has one receiver, {@code default}, which delivers
 * nowhere unless a {@linkplain Builder#webhook(String) webhook} is given.
 *
 * <p>Files, all in {@link #dataDir()}: {@code alertmanager.yml}, the server's output
 * {@code alertmanager.log} and its silences and notification log under {@code data/}.
 */
public final class AlertmanagerServer extends LocalServer {
    /** Where Debian installs the binary. */
    public static final String DEFAULT_BINARY = "/usr/bin/prometheus-alertmanager";
    /** System property naming another binary. */
    public static final String BINARY_PROPERTY = "telemetry.alertmanager.binary";

    private final String webhook;
    private final Duration groupWait;

    private AlertmanagerServer(Builder b) {
        super("Alertmanager", "alertmanager",
                resolveBinary(b.binary, BINARY_PROPERTY, DEFAULT_BINARY, "prometheus-alertmanager"),
                b.port, b.dataDir, b.startTimeout, b.stopTimeout, b.extraArgs);
        this.webhook = b.webhook;
        this.groupWait = b.groupWait;
    }

    /** A builder with the defaults: a free port, a temporary data directory, no webhook. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public AlertmanagerServer start() {
        super.start();
        return this;
    }

    /** The configuration file Alertmanager was started with. */
    @Override
    public Path configFile() {
        return dataDir().resolve("alertmanager.yml");
    }

    /**
     * Posts alerts ({@code POST /api/v2/alerts}).
     *
     * @param json a JSON array of alerts: {@code [{"labels": {"alertname": "..."}, "annotations": {...},
     *     "startsAt": "2026-01-01T00:00:00Z"}]}
     * @throws IllegalStateException if Alertmanager rejects them; the message carries its answer
     */
    public void postAlerts(String json) {
        HttpResponse<String> response = postJson("/api/v2/alerts", json);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Alertmanager " + url() + "/api/v2/alerts rejected the alerts ("
                    + response.statusCode() + "): " + response.body());
        }
    }

    /** The alerts Alertmanager holds ({@code GET /api/v2/alerts}): a JSON array. */
    public JsonNode alerts() {
        JsonNode alerts = getJson("/api/v2/alerts");
        if (!alerts.isArray()) throw new IllegalStateException("Alertmanager " + url() + "/api/v2/alerts: " + alerts);
        return alerts;
    }

    @Override
    protected List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--config.file=" + configFile());
        args.add("--storage.path=" + dataDir().resolve("data"));
        args.add("--web.listen-address=127.0.0.1:" + port());
        // Empty: no gossip port, no peers. The default (0.0.0.0:9094) would clash between parallel runs.
        args.add("--cluster.listen-address=");
        args.add("--log.level=info");
        return args;
    }

    @Override
    protected String config() {
        StringBuilder yml = new StringBuilder();
        yml.append("# Written by ").append(getClass().getName()).append('\n');
        yml.append("route:\n");
        yml.append("  receiver: default\n");
        yml.append("  group_by: ['alertname']\n");
        // Short waits so that a webhook in a test hears about an alert within seconds.
        yml.append("  group_wait: ").append(groupWait.toMillis()).append("ms\n");
        yml.append("  group_interval: 1s\n");
        yml.append("  repeat_interval: 1h\n");
        yml.append("receivers:\n");
        yml.append("  - name: default\n");
        if (webhook != null) {
            yml.append("    webhook_configs:\n");
            yml.append("      - url: '").append(webhook).append("'\n");
            yml.append("        send_resolved: true\n");
        }
        return yml.toString();
    }

    @Override
    protected URI readinessUri() {
        return URI.create(url() + "/-/ready");
    }

    /** Options for an {@link AlertmanagerServer}; every one has a default. */
    public static final class Builder extends LocalServer.BuilderBase<Builder> {
        private String webhook;
        private Duration groupWait = Duration.ofSeconds(1);

        private Builder() {}

        /** A URL the {@code default} receiver posts notifications to (Alertmanager's webhook format). */
        public Builder webhook(String url) {
            this.webhook = URI.create(url).toString();
            return this;
        }

        /** How long Alertmanager waits to group a new alert before notifying; default 1 s. */
        public Builder groupWait(Duration groupWait) {
            this.groupWait = groupWait;
            return this;
        }

        /** The configured server, not yet started. */
        public AlertmanagerServer build() {
            return new AlertmanagerServer(this);
        }

        /** Builds and {@linkplain AlertmanagerServer#start() starts} the server. */
        public AlertmanagerServer start() {
            return build().start();
        }
    }
}
