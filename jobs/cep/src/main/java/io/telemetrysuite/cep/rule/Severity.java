package io.telemetrysuite.cep.rule;

import java.util.Locale;

/** An alert's severity, written {@code info}, {@code warning} or {@code critical}. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
