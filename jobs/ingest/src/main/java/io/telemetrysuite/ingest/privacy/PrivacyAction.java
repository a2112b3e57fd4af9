package io.telemetrysuite.ingest.privacy;

/**
 * What the privacy policy does to a named attribute or record field. Values nothing names are kept
 * with the enabled {@link MaskPattern}s masked inside them.
 */
public enum PrivacyAction {
    /** Keep the value exactly as it is, patterns included: an exemption for values that only look personal (a server's IP). */
    KEEP,
    /** Remove the attribute; empty a record field. */
    DROP,
    /** Replace the whole value with {@value Redactor#MASKED}. */
    MASK,
    /** Replace the value with its keyed hash, {@code hmac:} and 32 hex digits: still groups, no longer readable. */
    HASH
}
