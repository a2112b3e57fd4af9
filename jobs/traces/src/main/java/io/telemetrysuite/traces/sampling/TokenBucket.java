package io.telemetrysuite.traces.sampling;

import java.io.Serializable;

/**
 * The token bucket of Go's {@code golang.org/x/time/rate.Limiter}, as {@code AllowN} uses it, driven
 * by event time instead of the wall clock: it starts full, refills continuously at {@code rate}
 * tokens a second up to {@code burst}, and grants {@code n} tokens only when all {@code n} are there
 * (so a request larger than {@code burst} is never granted). A refused request changes nothing; a
 * time earlier than the last grant refills nothing.
 */
final class TokenBucket implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double rate;
    private final long burst;
    private double tokens;
    private long lastMillis;
    private boolean started;

    TokenBucket(double ratePerSecond, long burst) {
        this.rate = ratePerSecond;
        this.burst = burst;
    }

    boolean allow(long nowMillis, long n) {
        double available;
        long last;
        if (!started) {
            available = burst;
            last = nowMillis;
        } else {
            last = Math.min(lastMillis, nowMillis);
            available = Math.min(burst, tokens + (nowMillis - last) / 1000.0 * rate);
        }
        if (n > burst || available - n < 0) return false;
        started = true;
        tokens = available - n;
        lastMillis = nowMillis;
        return true;
    }

    TokenBucket copyEmptyHistory() {
        return new TokenBucket(rate, burst);
    }
}
