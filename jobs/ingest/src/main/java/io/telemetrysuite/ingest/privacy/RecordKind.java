package io.telemetrysuite.ingest.privacy;

/** The record types the privacy policy addresses, written in lower case in the policy ({@code workload}). */
public enum RecordKind {
    SPAN,
    METRIC,
    LOG,
    WORKLOAD,
    SYSTEM,
    INFERENCE
}
