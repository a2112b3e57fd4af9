package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;

/**
 * One event reduced to what the windows aggregate: its key fields, its event time, its weight and
 * its measurements. Every signal maps to this one shape so that one window operator, one accumulator
 * and one roll-up serve them all; fields that do not apply to a signal stay at their defaults.
 */
public class Observation {
    public static final String SPAN = "span";
    public static final String WORKLOAD = "workload";
    public static final String SYSTEM = "system";
    public static final String INFERENCE = "inference";

    public String signal = "";
    public String serviceName = "";
    public String spanName = "";
    public String route = "";
    public String kind = "";
    public String tenant = "";
    public String host = "";
    public String model = "";

    /** Event time, epoch ms. */
    public long timestampMillis;
    /** How many events this one stands for: a sampled span's adjusted count, otherwise 1. */
    public double weight = 1.0;
    public boolean error;
    /** False for system samples, which have no latency. */
    public boolean hasLatency;
    public double latencyMs;
    public double memoryBytes;
    public double cpuPercent;
    public double outputTokens;
    public double energyJoules;
    public boolean hasTimeToFirstToken;
    public double timeToFirstTokenMs;

    public Observation() {}

    /** RED per service, span name, route (http.route, when present) and kind; windowed by start time. */
    public static Observation of(Span span) {
        Observation o = new Observation();
        o.signal = SPAN;
        o.serviceName = span.serviceName;
        o.spanName = span.name;
        o.kind = span.kind;
        String route = span.attribute("http.route");
        o.route = route == null ? "" : route;
        o.timestampMillis = span.startTimeUnixNano / 1_000_000L;
        o.weight = span.adjustedCount;
        o.error = span.isError();
        o.hasLatency = true;
        o.latencyMs = span.durationNanos() / 1_000_000.0;
        return o;
    }

    /** Per tenant and route. */
    public static Observation of(WorkloadRecord record) {
        Observation o = new Observation();
        o.signal = WORKLOAD;
        o.tenant = record.tenant;
        o.route = record.route;
        o.timestampMillis = record.timestampMillis;
        o.error = record.isError();
        o.hasLatency = true;
        o.latencyMs = record.durationMs;
        o.memoryBytes = record.memoryBytes;
        o.cpuPercent = record.cpuPercent;
        return o;
    }

    /** Per host. */
    public static Observation of(SystemSample sample) {
        Observation o = new Observation();
        o.signal = SYSTEM;
        o.host = sample.host;
        o.timestampMillis = sample.timestampMillis;
        o.memoryBytes = sample.memoryUsedBytes;
        o.cpuPercent = sample.cpuPercent();
        return o;
    }

    /** Per model; the latency is the call's duration. */
    public static Observation of(InferenceSample sample) {
        Observation o = new Observation();
        o.signal = INFERENCE;
        o.model = sample.model;
        o.timestampMillis = sample.timestampMillis;
        o.error = sample.errorType != null && !sample.errorType.isEmpty();
        o.hasLatency = true;
        o.latencyMs = sample.durationMs;
        o.outputTokens = sample.outputTokens;
        o.energyJoules = sample.energyJoules;
        o.hasTimeToFirstToken = sample.timeToFirstTokenMs > 0;
        o.timeToFirstTokenMs = sample.timeToFirstTokenMs;
        return o;
    }

    /** The window key: signal and key fields. */
    public String key() {
        return AggregateKey.of(signal, serviceName, spanName, route, kind, tenant, host, model);
    }

    @Override
    public String toString() {
        return "Observation{" + key().replace(AggregateKey.SEPARATOR, '|') + " @" + timestampMillis + " w=" + weight + "}";
    }
}
