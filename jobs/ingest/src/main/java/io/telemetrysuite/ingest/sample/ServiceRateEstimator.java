package io.telemetrysuite.ingest.sample;

import java.util.HashMap;
import java.util.Map;

/**
 * Per deciding service, an estimate of the spans per second of event time that reach this parallel
 * instance, split into priority spans (always kept) and the rest (kept with probability p), and the p
 * that brings the kept rate to the instance's share of the budget.
 *
 * <p>Rates are counted per whole second of event time and smoothed with an exponentially weighted
 * moving average, so the estimate follows the data's clock (a replayed file is sampled as it was
 * live) and a burst moves p within a few seconds. Not checkpointed: after a restart the estimate is
 * relearnt within seconds, while decisions already taken live in keyed state.
 */
final class ServiceRateEstimator {
    private final double budgetPerInstance;
    private final double smoothing;
    private final double minProbability;
    private final Map<String, ServiceRate> rates = new HashMap<>();

    ServiceRateEstimator(double budgetPerInstance, double smoothing, double minProbability) {
        this.budgetPerInstance = budgetPerInstance;
        this.smoothing = smoothing;
        this.minProbability = minProbability;
    }

    /** Counts one span of a trace decided by {@code service}, at {@code eventSecond}. */
    void record(String service, long eventSecond, boolean priority) {
        rates.computeIfAbsent(service, s -> new ServiceRate(eventSecond)).record(eventSecond, priority, smoothing);
    }

    /** The probability for a new trace decided by {@code service}: 1 until a full second has been seen. */
    double probability(String service) {
        ServiceRate rate = rates.get(service);
        if (rate == null || !rate.warm) return 1.0;
        double room = budgetPerInstance - rate.priorityPerSecond;
        if (rate.otherPerSecond <= 0) return 1.0;
        double p = room / rate.otherPerSecond;
        return Math.max(minProbability, Math.min(1.0, p));
    }

    private static final class ServiceRate {
        long second;
        long priorityThisSecond;
        long otherThisSecond;
        double priorityPerSecond;
        double otherPerSecond;
        boolean warm;

        ServiceRate(long second) {
            this.second = second;
        }

        void record(long eventSecond, boolean priority, double smoothing) {
            if (eventSecond > second) {
                roll(eventSecond, smoothing);
            }
            // Spans of an earlier second (out of order) count toward the current one: close enough for a rate.
            if (priority) priorityThisSecond++;
            else otherThisSecond++;
        }

        private void roll(long eventSecond, double smoothing) {
            if (!warm) {
                priorityPerSecond = priorityThisSecond;
                otherPerSecond = otherThisSecond;
                warm = true;
            } else {
                priorityPerSecond += smoothing * (priorityThisSecond - priorityPerSecond);
                otherPerSecond += smoothing * (otherThisSecond - otherPerSecond);
            }
            // Seconds without any span decay the estimate, so a service that went quiet is not starved later.
            long emptySeconds = Math.min(eventSecond - second - 1, 60);
            double decay = Math.pow(1 - smoothing, emptySeconds);
            priorityPerSecond *= decay;
            otherPerSecond *= decay;
            second = eventSecond;
            priorityThisSecond = 0;
            otherThisSecond = 0;
        }
    }
}
