package io.telemetrysuite.otlp;

import java.util.Objects;

/**
 * Why a payload, or one item of it, could not be turned into the event model. It is the one
 * exception type of every ingest decoder (OTLP protobuf, OTLP JSON, the suite's own JSON records),
 * so the first operator can build a {@link io.telemetrysuite.model.DeadLetter} from any failure
 * with one catch block.
 *
 * <p>Checked on purpose: bad input is an expected outcome at ingest, and the compiler should make
 * every caller decide what to dead-letter.
 */
public final class OtlpDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String signal;

    /**
     * @param reason a code from {@link io.telemetrysuite.model.DeadLetterReason}
     * @param signal what {@link io.telemetrysuite.model.DeadLetter#signal} should say: span, metric,
     *     log, workload, system, inference, or unknown when the bytes did not tell
     * @param message what exactly was wrong, for a person
     */
    public OtlpDecodeException(String reason, String signal, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.signal = Objects.requireNonNull(signal, "signal");
    }

    /** A code from {@link io.telemetrysuite.model.DeadLetterReason}. */
    public String reason() {
        return reason;
    }

    /** The signal the rejected bytes belong to, in {@link io.telemetrysuite.model.DeadLetter#signal}'s words. */
    public String signal() {
        return signal;
    }

    @Override
    public String toString() {
        return "OtlpDecodeException{" + reason + " " + signal + ": " + getMessage() + "}";
    }
}
