package io.telemetrysuite.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One alert of the CEP job, firing or resolved: one line of {@code alerts.jsonl} and one record of the
 * {@code alerts} topic. {@code labels} are the rule's key attributes plus its static labels;
 * {@code eventTime} is the event time at which the condition was met (for {@code resolved}: cleared).
 */
public class Alert {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public String ruleId = "";
    /** {@code threshold}, {@code count}, {@code sequence}, {@code absence} or {@code baseline}. */
    public String kind = "";
    /** {@code info}, {@code warning} or {@code critical}. */
    public String severity = "";
    /** {@link #FIRING} or {@link #RESOLVED}. */
    public String status = FIRING;
    public Map<String, String> labels = new HashMap<>();
    /** Annotation templates of the rule, filled in. */
    public Map<String, String> annotations = new HashMap<>();
    /** Epoch ms at which the condition was met (or, resolved, cleared). */
    public long eventTime;
    /** Epoch ms of the first event of the match (for a threshold: when the condition started holding). */
    public long startsAt;
    /** A one-line account of the matched events: how many, their times, the values that decided. */
    public String summary = "";
    /** Matched events, at most a few, as {@code signal@time field=value} strings. */
    public List<String> events = new ArrayList<>();

    public Alert() {}

    /** The identity of what is alerting: the same rule and labels make the same alert in Alertmanager. */
    public String fingerprint() {
        return ruleId + new java.util.TreeMap<>(labels);
    }

    @Override
    public String toString() {
        return "Alert{" + ruleId + " " + status + " " + labels + " @" + eventTime + "}";
    }
}
