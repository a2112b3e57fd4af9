package io.telemetrysuite.cep.rule;

import java.util.Locale;

/** The five rule kinds, written in lower case in rule files. */
public enum RuleKind {
    /** A condition held by every matching event for a duration (Prometheus {@code for}). */
    THRESHOLD,
    /** At least N matching events within a window, per key. */
    COUNT,
    /** Steps in order, per key, within a window. */
    SEQUENCE,
    /** A heartbeat that stops, or an expected follow-up that never comes. */
    ABSENCE,
    /** A field deviating from its own per-key mean by more than k standard deviations. */
    BASELINE;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
