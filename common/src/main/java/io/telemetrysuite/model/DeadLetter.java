package io.telemetrysuite.model;

/**
 * A record the pipeline could not accept: why, where it came from, and its bytes, so it can be
 * inspected and replayed. Nothing the pipeline receives is dropped without one of these.
 */
public class DeadLetter {
    /** A stable reason code from {@link DeadLetterReason}. */
    public String reason;
    /** What exactly was wrong, for a person. */
    public String message;
    /** Where it came from: {@code file:line}, {@code file@offset} or {@code topic/partition/offset}. */
    public String source;
    /** span, metric, log, workload, system, inference, or unknown when the bytes did not say. */
    public String signal = "unknown";
    /** The offending bytes: the whole input record, or the one rejected item re-encoded. Privacy masks applied. */
    public byte[] raw = new byte[0];
    /** When the pipeline dead-lettered it (epoch ms, processing time). */
    public long deadLetteredAtMillis;

    public DeadLetter() {}

    public DeadLetter(String reason, String message, String source, String signal, byte[] raw, long deadLetteredAtMillis) {
        this.reason = reason;
        this.message = message;
        this.source = source;
        this.signal = signal;
        this.raw = raw;
        this.deadLetteredAtMillis = deadLetteredAtMillis;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + " " + source + ": " + message + "}";
    }
}
