package io.telemetrysuite.ingest.validate;

/** The OTLP signals semantic-convention rules apply to; written {@code span}, {@code metric}, {@code log} in the registry. */
public enum Signal {
    SPAN,
    METRIC,
    LOG
}
