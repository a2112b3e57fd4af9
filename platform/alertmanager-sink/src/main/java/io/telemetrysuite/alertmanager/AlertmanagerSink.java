package io.telemetrysuite.alertmanager;

import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.Alert;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A Flink sink (Sink V2) that posts the CEP job's alerts to a real Alertmanager through its HTTP API
 * v2 ({@code POST /api/v2/alerts}), the way Prometheus' rule evaluator does.
 *
 * <pre>{@code
 * alerts.sinkTo(new AlertmanagerSink("http://127.0.0.1:9093")).uid("alertmanager-sink").name("Alertmanager");
 * }</pre>
 *
 * <p>What Alertmanager sees ({@link AlertmanagerAlerts} has the field-by-field mapping): labels
 * {@code alertname} = rule id, {@code severity} and the alert's labels; a firing alert has
 * {@code startsAt} = the event time it fired at and an {@code endsAt} in the future; a resolved
 * alert has {@code endsAt} = the event time it cleared at.
 *
 * <p>Alertmanager resolves a firing alert by itself at its {@code endsAt} unless it hears of it again,
 * so, like Prometheus, the sink keeps every firing alert of a kind that is resolved later
 * ({@code threshold}, {@code absence}, {@code baseline}) and re-sends it every
 * {@link #resendInterval} (default 1 min) with {@code endsAt} = now + 4 × that interval, until its
 * {@code resolved} alert arrives. If the job stops, its alerts expire within four intervals. Alerts of
 * the other kinds ({@code count}, {@code sequence}) are events: sent once, active for
 * {@link #oneShotDuration} (default 5 min). After an outage the sink re-sends every firing alert at
 * once, because Alertmanager keeps alerts in memory only and may have restarted.
 *
 * <p>The sink keys its input by the alert's label set before the writers
 * ({@link SupportsPreWriteTopology}), so the firing and the resolved alert of one label set meet in the
 * same writer, in order.
 *
 * <p>Delivery is at least once, and the sink never fails the job because Alertmanager is
 * unreachable:
 * <ul>
 *   <li>alerts are sent in requests of at most {@link #maxBatchAlerts}, as they come and every
 *       {@link #flushInterval};</li>
 *   <li>a {@link io.telemetrysuite.sink.CircuitBreaker} guards the calls: after
 *       {@link #failureThreshold} failed requests in a row (no connection, timeout, 5xx, 429) it stops
 *       calling for {@link #initialRetryDelay}, doubling after every failed probe up to
 *       {@link #maxRetryDelay};</li>
 *   <li>what is unsent, and the firing alerts being kept alive, go into the writer's checkpointed
 *       state, so a restore sends them instead of losing them;</li>
 *   <li>at most {@link #maxBufferedAlerts} unsent alerts are held: beyond that the oldest is dropped
 *       and counted ({@code alertsOverflowed}), so a long outage cannot exhaust the heap; likewise at
 *       most {@link #maxActiveAlerts} firing alerts are kept alive (the oldest stops being re-sent and
 *       expires in Alertmanager);</li>
 *   <li>at the end of a bounded input the writer waits until everything is delivered.</li>
 * </ul>
 * Requests Alertmanager refuses for good (4xx other than 429) are split to isolate the invalid alerts,
 * which are dropped and counted; the rest are delivered.
 *
 * <p>Metrics, in the writer's group {@code alertmanagerSink}: counters {@code alertsSent} (alerts in
 * accepted requests, re-sends included), {@code alertsDropped} (refused for good),
 * {@code alertsOverflowed}, {@code requestsSent}, {@code failedAttempts} (requests that failed and
 * will be retried), {@code retries} (requests sent while the previous one had failed); gauges
 * {@code alertsBuffered} (unsent), {@code alertsActive} (firing, kept alive), and the breaker's
 * {@code breakerState} (0 closed, 1 half-open, 2 open), {@code breakerOpenings},
 * {@code breakerBackoffMillis}.
 */
public final class AlertmanagerSink implements Sink<Alert>, SupportsWriterState<Alert, AlertmanagerSink.BufferedAlert>,
        SupportsPreWriteTopology<Alert> {
    private static final long serialVersionUID = 1L;

    private final String alertmanagerBaseUrl;
    private int maxBatchAlerts = 100;
    private int maxBufferedAlerts = 10_000;
    private int maxActiveAlerts = 10_000;
    private Duration flushInterval = Duration.ofSeconds(1);
    private Duration resendInterval = Duration.ofMinutes(1);
    private Duration oneShotDuration = Duration.ofMinutes(5);
    private int failureThreshold = 3;
    private Duration initialRetryDelay = Duration.ofMillis(500);
    private Duration maxRetryDelay = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private String generatorUrl;

    /**
     * @param alertmanagerBaseUrl Alertmanager's address, e.g. {@code http://127.0.0.1:9093}; alerts go
     *     to {@code <address>/api/v2/alerts}
     */
    public AlertmanagerSink(String alertmanagerBaseUrl) {
        this.alertmanagerBaseUrl = Objects.requireNonNull(alertmanagerBaseUrl, "alertmanagerBaseUrl");
        new AlertmanagerClient(alertmanagerBaseUrl, requestTimeout); // checks the URL now, where the job is built
    }

    /** Alerts per request at most; default 100. */
    public AlertmanagerSink maxBatchAlerts(int n) {
        this.maxBatchAlerts = atLeastOne(n, "maxBatchAlerts");
        return this;
    }

    /** Unsent alerts a writer holds; beyond that the oldest is dropped and counted. Default 10,000. */
    public AlertmanagerSink maxBufferedAlerts(int n) {
        this.maxBufferedAlerts = atLeastOne(n, "maxBufferedAlerts");
        return this;
    }

    /** Firing alerts a writer keeps re-sending; beyond that the oldest is let expire. Default 10,000. */
    public AlertmanagerSink maxActiveAlerts(int n) {
        this.maxActiveAlerts = atLeastOne(n, "maxActiveAlerts");
        return this;
    }

    /** How often unsent alerts are retried and re-sends checked; default 1 s. */
    public AlertmanagerSink flushInterval(Duration d) {
        this.flushInterval = positive(d, "flushInterval");
        return this;
    }

    /** How often firing alerts are re-sent; they are valid for four times this. Default 1 min (Prometheus' resend delay). */
    public AlertmanagerSink resendInterval(Duration d) {
        this.resendInterval = positive(d, "resendInterval");
        return this;
    }

    /** How long a firing alert of a kind that never resolves (count, sequence) stays active; default 5 min. */
    public AlertmanagerSink oneShotDuration(Duration d) {
        this.oneShotDuration = positive(d, "oneShotDuration");
        return this;
    }

    /** Failed requests in a row that open the circuit breaker; default 3. */
    public AlertmanagerSink failureThreshold(int n) {
        this.failureThreshold = atLeastOne(n, "failureThreshold");
        return this;
    }

    /** How long the breaker first stays open; doubled after every failed probe. Default 500 ms. */
    public AlertmanagerSink initialRetryDelay(Duration d) {
        this.initialRetryDelay = positive(d, "initialRetryDelay");
        return this;
    }

    /** The longest the breaker stays open; default 30 s. */
    public AlertmanagerSink maxRetryDelay(Duration d) {
        this.maxRetryDelay = positive(d, "maxRetryDelay");
        return this;
    }

    /** How long one request may take, connecting included; default 10 s. */
    public AlertmanagerSink requestTimeout(Duration d) {
        this.requestTimeout = positive(d, "requestTimeout");
        return this;
    }

    /** The {@code generatorURL} of every alert (e.g. the Flink web UI's job page); default none. */
    public AlertmanagerSink generatorUrl(String url) {
        this.generatorUrl = url == null ? null : java.net.URI.create(url).toString();
        return this;
    }

    /** Keys the alerts by their label set, so that one label set's updates reach one writer in order. */
    @Override
    public DataStream<Alert> addPreWriteTopology(DataStream<Alert> input) {
        return input.keyBy(new ByIdentity());
    }

    @Override
    public StatefulSinkWriter<Alert, BufferedAlert> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<Alert, BufferedAlert> restoreWriter(WriterInitContext context, Collection<BufferedAlert> state) {
        return new AlertmanagerSinkWriter(context, new AlertmanagerClient(alertmanagerBaseUrl, requestTimeout), this, state);
    }

    @Override
    public SimpleVersionedSerializer<BufferedAlert> getWriterStateSerializer() {
        return new BufferedAlertSerializer();
    }

    int maxBatchAlerts() {
        return maxBatchAlerts;
    }

    int maxBufferedAlerts() {
        return maxBufferedAlerts;
    }

    int maxActiveAlerts() {
        return maxActiveAlerts;
    }

    Duration flushInterval() {
        return flushInterval;
    }

    Duration resendInterval() {
        return resendInterval;
    }

    Duration oneShotDuration() {
        return oneShotDuration;
    }

    int failureThreshold() {
        return failureThreshold;
    }

    Duration initialRetryDelay() {
        return initialRetryDelay;
    }

    Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    String generatorUrl() {
        return generatorUrl;
    }

    private static int atLeastOne(int n, String what) {
        if (n < 1) throw new IllegalArgumentException(what + " must be at least 1: " + n);
        return n;
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
        return d;
    }

    /**
     * One entry of a writer's state: an alert not yet sent ({@code active == false}), or a firing alert
     * the writer keeps re-sending until it is resolved ({@code active == true}).
     */
    public record BufferedAlert(Alert alert, boolean active) {}

    /** The key of the pre-write {@code keyBy}: the alert's label set. */
    static final class ByIdentity implements KeySelector<Alert, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Alert alert) {
            return AlertmanagerAlerts.identity(alert);
        }
    }

    /**
     * Writer state. Version 1: the active flag, then the alert as the suite's JSON ({@link EventJson}),
     * which ignores unknown fields and defaults missing ones, so fields added to {@link Alert} later
     * do not break old checkpoints.
     */
    static final class BufferedAlertSerializer implements SimpleVersionedSerializer<BufferedAlert> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(BufferedAlert entry) {
            byte[] alert = EventJson.toBytes(entry.alert());
            DataOutputSerializer out = new DataOutputSerializer(alert.length + 8);
            try {
                out.writeBoolean(entry.active());
                out.writeInt(alert.length);
                out.write(alert);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public BufferedAlert deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) throw new IOException("Unknown AlertmanagerSink state version " + version + " (this build reads 1)");
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            boolean active = in.readBoolean();
            byte[] alert = new byte[in.readInt()];
            in.readFully(alert);
            return new BufferedAlert(EventJson.mapper().readValue(alert, Alert.class), active);
        }
    }
}
