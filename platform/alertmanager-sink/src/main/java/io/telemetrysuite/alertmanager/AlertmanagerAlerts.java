package io.telemetrysuite.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrysuite.model.Alert;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How an {@link Alert} looks to Alertmanager ({@code POST /api/v2/alerts}, the {@code postableAlert}
 * of its OpenAPI spec): its identity (the label set), and the JSON body of a request.
 *
 * <ul>
 *   <li>labels: the alert's labels, then {@code alertname} = rule id and {@code severity}, which win
 *       over labels of the same name. Names are made valid for Alertmanager 0.25, which accepts only
 *       {@code [a-zA-Z_][a-zA-Z0-9_]*}: every other character becomes {@code _} (OpenTelemetry's
 *       {@code service.name} becomes {@code service_name}, as Prometheus names it); empty values are
 *       left out (Alertmanager, like Prometheus, treats them as absent).</li>
 *   <li>annotations: the alert's annotations, plus {@code summary} (the alert's summary) and
 *       {@code kind} unless the rule set them.</li>
 *   <li>firing: {@code startsAt} = the event time at which the condition was met; {@code endsAt} = the
 *       time of sending plus the alert's validity ({@link AlertmanagerSink#resendInterval} × 4 for an
 *       alert that will be re-sent, {@link AlertmanagerSink#oneShotDuration} for one that will not):
 *       the alert stays active while the sink keeps re-sending it, and expires by itself if the job
 *       goes away.</li>
 *   <li>resolved: {@code endsAt} = the event time at which the condition cleared; {@code startsAt} =
 *       the alert's {@code startsAt} when set, else the same time. Alertmanager keeps the earliest
 *       {@code startsAt} it saw for the alert.</li>
 * </ul>
 * Times later than the moment of sending are taken as that moment: Alertmanager refuses an alert whose
 * start is after its end, and a resolved alert with a future {@code endsAt} would count as firing.
 */
public final class AlertmanagerAlerts {
    /** Kinds whose alerts are followed by a {@code resolved} one; the others fire once. */
    public static final Set<String> RESOLVING_KINDS = Set.of("threshold", "absence", "baseline");

    private AlertmanagerAlerts() {}

    /** The label set Alertmanager identifies the alert by, sorted by name. */
    public static TreeMap<String, String> labels(Alert alert) {
        TreeMap<String, String> labels = new TreeMap<>();
        if (alert.labels != null) {
            for (Map.Entry<String, String> l : alert.labels.entrySet()) {
                if (l.getValue() != null && !l.getValue().isEmpty()) labels.put(labelName(l.getKey()), l.getValue());
            }
        }
        labels.put("alertname", alert.ruleId);
        if (alert.severity != null && !alert.severity.isEmpty()) labels.put("severity", alert.severity);
        return labels;
    }

    /** The alert's identity as one string: its {@link #labels} (what the sink keys and de-duplicates by). */
    public static String identity(Alert alert) {
        return labels(alert).toString();
    }

    /** Whether a firing alert of this kind will be resolved later, so the sink must keep it alive until then. */
    public static boolean resolves(Alert alert) {
        return RESOLVING_KINDS.contains(alert.kind);
    }

    static String labelName(String name) {
        if (name == null || name.isEmpty()) return "_";
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    /**
     * The body of one {@code POST /api/v2/alerts}.
     *
     * @param nowMillis the moment of sending
     * @param validForMillis how long a firing alert that will be re-sent stays valid
     * @param oneShotMillis how long a firing alert that will not be re-sent stays active
     * @param generatorUrl the alerts' {@code generatorURL}, or null for none
     */
    static ArrayNode body(ObjectMapper json, Iterable<Alert> alerts, long nowMillis, long validForMillis, long oneShotMillis,
                          String generatorUrl) {
        ArrayNode array = json.createArrayNode();
        for (Alert alert : alerts) {
            ObjectNode a = array.addObject();
            ObjectNode labels = a.putObject("labels");
            labels(alert).forEach(labels::put);
            ObjectNode annotations = a.putObject("annotations");
            TreeMap<String, String> ann = new TreeMap<>();
            if (alert.summary != null && !alert.summary.isEmpty()) ann.put("summary", alert.summary);
            if (alert.kind != null && !alert.kind.isEmpty()) ann.put("kind", alert.kind);
            if (alert.annotations != null) alert.annotations.forEach((k, v) -> { if (v != null) ann.put(k, v); });
            ann.forEach(annotations::put);
            long eventTime = Math.min(alert.eventTime, nowMillis);
            if (Alert.RESOLVED.equals(alert.status)) {
                long start = alert.startsAt > 0 && alert.startsAt <= eventTime ? alert.startsAt : eventTime;
                a.put("startsAt", time(start));
                a.put("endsAt", time(eventTime));
            } else {
                a.put("startsAt", time(eventTime));
                a.put("endsAt", time(nowMillis + (resolves(alert) ? validForMillis : oneShotMillis)));
            }
            if (generatorUrl != null) a.put("generatorURL", generatorUrl);
        }
        return array;
    }

    /** RFC 3339 in UTC with milliseconds, as Alertmanager parses it. */
    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
