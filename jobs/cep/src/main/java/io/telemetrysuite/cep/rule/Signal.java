package io.telemetrysuite.cep.rule;

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

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
