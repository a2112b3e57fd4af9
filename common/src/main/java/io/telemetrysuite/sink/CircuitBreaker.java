package io.telemetrysuite.sink;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;

/**
 * A circuit breaker for a sink that calls an outside service (Prometheus remote write, Alertmanager):
 * it decides whether the next request may go out, so that a failing service is left alone for a while
 * instead of being hammered by every flush of every subtask.
 *
 * <ul>
 *   <li>{@link State#CLOSED}: requests go out. After {@code failureThreshold} failures in a row it
 *       opens.</li>
 *   <li>{@link State#OPEN}: no requests until the backoff has passed. The first opening waits
 *       {@code initialBackoff}; every failed probe doubles it, up to {@code maxBackoff}.</li>
 *   <li>{@link State#HALF_OPEN}: the backoff has passed; the next request is a probe. Success closes
 *       the breaker and resets the backoff; failure opens it again for the doubled backoff.</li>
 * </ul>
 *
 * <p>Not thread-safe: a sink writer uses it from its task's mailbox thread only. The clock is
 * injected so that tests can drive it.
 */
public final class CircuitBreaker {
    /** The breaker's state; {@link #code} is what the {@code breakerState} gauge reports. */
    public enum State {
        CLOSED(0),
        HALF_OPEN(1),
        OPEN(2);

        /** 0 closed, 1 half-open, 2 open: ordered so that an alert can say {@code breakerState > 0}. */
        public final int code;

        State(int code) {
            this.code = code;
        }
    }

    private final int failureThreshold;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final LongSupplier clock;

    private State state = State.CLOSED;
    private int failuresInARow;
    private long backoffMillis;
    private long openUntil;

    private long successes;
    private long failures;
    private long openings;
    private long recoveries;

    /**
     * @param failureThreshold failures in a row that open a closed breaker (1: the first failure)
     * @param initialBackoff how long it stays open the first time
     * @param maxBackoff the cap of the doubling backoff
     * @param clock epoch milliseconds ({@code System::currentTimeMillis} outside tests)
     */
    public CircuitBreaker(int failureThreshold, Duration initialBackoff, Duration maxBackoff, LongSupplier clock) {
        if (failureThreshold < 1) throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
        if (initialBackoff.isNegative() || initialBackoff.isZero()) throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        this.failureThreshold = failureThreshold;
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.maxBackoffMillis = Math.max(maxBackoff.toMillis(), initialBackoffMillis);
        this.clock = clock;
        this.backoffMillis = initialBackoffMillis;
    }

    /** A breaker on the wall clock. */
    public CircuitBreaker(int failureThreshold, Duration initialBackoff, Duration maxBackoff) {
        this(failureThreshold, initialBackoff, maxBackoff, System::currentTimeMillis);
    }

    /**
     * Whether a request may go out now. An open breaker whose backoff has passed turns half-open
     * here, and the request it allows is the probe.
     */
    public boolean allowRequest() {
        if (state == State.OPEN && clock.getAsLong() >= openUntil) state = State.HALF_OPEN;
        return state != State.OPEN;
    }

    /** Milliseconds until {@link #allowRequest()} can say yes; 0 when it already does. */
    public long millisUntilAllowed() {
        return state == State.OPEN ? Math.max(0, openUntil - clock.getAsLong()) : 0;
    }

    /**
     * The service took a request.
     *
     * @return whether this success ended an outage (the breaker had opened): the service may have
     *     restarted and lost what it held, which a caller may want to send again
     */
    public boolean recordSuccess() {
        successes++;
        boolean recovered = state != State.CLOSED;
        if (recovered) recoveries++;
        state = State.CLOSED;
        failuresInARow = 0;
        backoffMillis = initialBackoffMillis;
        return recovered;
    }

    /** A request failed in a way worth retrying (no connection, timeout, 5xx, 429). */
    public void recordFailure() {
        failures++;
        failuresInARow++;
        if (state == State.HALF_OPEN) {
            backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis);
            open();
        } else if (state == State.CLOSED && failuresInARow >= failureThreshold) {
            open();
        }
    }

    private void open() {
        state = State.OPEN;
        openings++;
        openUntil = clock.getAsLong() + backoffMillis;
    }

    /** The state now (an open breaker whose backoff has passed still reads open until asked). */
    public State state() {
        return state;
    }

    /** Failures since the last success. */
    public int failuresInARow() {
        return failuresInARow;
    }

    /** How long the breaker stays open the next time it opens, or stays open now. */
    public long backoffMillis() {
        return backoffMillis;
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }

    /** Times the breaker opened (a failed probe re-opening it counts again). */
    public long openings() {
        return openings;
    }

    /** Times a success closed an open or half-open breaker. */
    public long recoveries() {
        return recoveries;
    }

    /**
     * Registers the breaker's gauges in {@code group}: {@code breakerState} (0 closed, 1 half-open,
     * 2 open), {@code breakerOpenings} and {@code breakerBackoffMillis}. Gauges rather than counters
     * because the breaker owns the numbers; Flink's Prometheus reporter exports both alike.
     */
    public void registerMetrics(MetricGroup group) {
        group.gauge("breakerState", () -> state.code);
        group.gauge("breakerOpenings", () -> openings);
        group.gauge("breakerBackoffMillis", () -> state == State.CLOSED ? 0L : backoffMillis);
    }

    @Override
    public String toString() {
        return "CircuitBreaker{" + state + ", " + failuresInARow + " failures in a row, backoff " + backoffMillis + " ms}";
    }
}
