package io.telemetrysuite.cep;

import io.telemetrysuite.cep.rule.Condition;
import io.telemetrysuite.cep.rule.EventMatch;
import io.telemetrysuite.cep.rule.Operator;
import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.cep.rule.SequenceStep;
import io.telemetrysuite.cep.rule.Severity;
import io.telemetrysuite.cep.rule.Signal;
import io.telemetrysuite.model.Alert;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Rules built in Java, events, and the one-line view of an alert the tests compare. */
final class CepFixtures {
    static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

    private CepFixtures() {}

    static Rule rule(String id, RuleKind kind, EventMatch match, String... by) {
        Rule r = new Rule();
        r.id = id;
        r.kind = kind;
        r.severity = Severity.WARNING;
        r.match = match;
        r.by = List.of(by);
        return r;
    }

    static EventMatch match(Signal signal, String... fieldValues) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldValues.length; i += 2) fields.put(fieldValues[i], fieldValues[i + 1]);
        return new EventMatch(signal, fields, Map.of());
    }

    static Condition condition(String field, String op, Object value) {
        return new Condition(field, Operator.ofSymbol(op), value);
    }

    static SequenceStep step(EventMatch match, Condition condition) {
        return new SequenceStep(match, condition);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    static SystemSample system(String host, long secondsAfterT0, double cpu) {
        SystemSample s = new SystemSample();
        s.host = host;
        s.timestampMillis = T0 + secondsAfterT0 * 1000;
        s.cpuPercentPerCore = new double[] {cpu, cpu};
        return s;
    }

    static WorkloadRecord workload(String user, String route, int status, long millisAfterT0, double durationMs) {
        WorkloadRecord w = new WorkloadRecord();
        w.tenant = "acme";
        w.user = user;
        w.route = route;
        w.serviceName = route.substring(1);
        w.statusCode = status;
        w.timestampMillis = T0 + millisAfterT0;
        w.durationMs = durationMs;
        return w;
    }

    /** The events, shuffled but never more than {@code maxDisplacementMillis} out of event-time order (below the watermark bound). */
    static <T> List<T> outOfOrder(List<T> events, java.util.function.ToLongFunction<T> time, long maxDisplacementMillis, long seed) {
        Random random = new Random(seed);
        List<T> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(time));
        // Sort by a jittered time: two events can only swap when their times differ by less than the jitter.
        Map<T, Long> jittered = new java.util.IdentityHashMap<>();
        for (T e : sorted) jittered.put(e, time.applyAsLong(e) + (long) (random.nextDouble() * maxDisplacementMillis));
        sorted.sort(java.util.Comparator.comparingLong(jittered::get));
        return Collections.unmodifiableList(sorted);
    }

    /** {@code rule status {labels} +seconds}: what the tests assert on, in a stable order. */
    static List<String> view(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            long ms = a.eventTime - T0;
            String at = ms % 1000 == 0 ? "+" + ms / 1000 + "s" : "+" + ms + "ms";
            out.add(a.ruleId + " " + a.status + " " + new TreeMap<>(a.labels) + " " + at);
        }
        Collections.sort(out);
        return out;
    }
}
