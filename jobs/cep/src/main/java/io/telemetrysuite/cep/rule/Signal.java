package io.telemetrysuite.cep.rule;

import io.telemetrysuite.model.Aggregate;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.util.Locale;

/**
 * Which events a rule reads: one of ingest's signals, or the aggregate job's windows. Written in
 * lower case in rule files ({@code signal: span}).
 */
public enum Signal {
    SPAN,
    METRIC,
    LOG,
    WORKLOAD,
    SYSTEM,
    INFERENCE,
    AGGREGATE;

    /** The signal whose events are of {@code type}. */
    public static Signal of(Class<?> type) {
        if (type == Span.class) return SPAN;
        if (type == MetricPoint.class) return METRIC;
        if (type == LogRecord.class) return LOG;
        if (type == WorkloadRecord.class) return WORKLOAD;
        if (type == SystemSample.class) return SYSTEM;
        if (type == InferenceSample.class) return INFERENCE;
        if (type == Aggregate.class) return AGGREGATE;
        throw new IllegalArgumentException("No signal carries " + type.getName());
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
