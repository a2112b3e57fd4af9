package io.telemetrysuite.aggregate.forecast;

/**
 * Additive Holt-Winters (ETS(A,A,A)): level, trend and a seasonal cycle of {@code period} points,
 * made robust to bursts by clipping outlying errors before they update the states, with smoothing
 * parameters chosen on the history's last period forecast from the periods before it (or, with
 * less than three periods, by the one-step-ahead Huber loss), and
 * prediction intervals from the one-step residuals (Hyndman and Athanasopoulos, "Forecasting:
 * Principles and Practice", 3rd ed., the ETS(A,A,A) variance formula).
 *
 * <p>Plain Java and deterministic, so the aggregate job, the benchmark and the tests share it.
 */
public final class HoltWinters {
    private static final double[] GRID = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    /** Trend smoothing; 0 means no trend at all, which a load without growth forecasts best over long horizons. */
    private static final double[] TREND_GRID = {0.0, 0.05, 0.1, 0.2, 0.3, 0.5};
    /** Errors beyond this many robust deviations are clipped before they update the states. */
    private static final double CLIP = 2.5;
    private static final double SCALE_SMOOTHING = 0.1;

    private final int period;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double level;
    private final double trend;
    /** Seasonal components, indexed by (t mod period) of the point they belong to. */
    private final double[] season;
    /** Index of the next (first forecast) point. */
    private final int next;
    private final double residualStdDev;
    private final double fitLoss;

    private HoltWinters(int period, double alpha, double beta, double gamma, double level, double trend, double[] season, int next,
                        double residualStdDev, double fitLoss) {
        this.period = period;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.level = level;
        this.trend = trend;
        this.season = season;
        this.next = next;
        this.residualStdDev = residualStdDev;
        this.fitLoss = fitLoss;
    }

    /**
     * Fits the model to {@code history} (oldest first), which must hold at least two full periods.
     *
     * @throws IllegalArgumentException with fewer than two periods of history
     */
    public static HoltWinters fit(double[] history, int period) {
        if (period < 2) throw new IllegalArgumentException("period must be at least 2, got " + period);
        if (history.length < 2 * period) {
            throw new IllegalArgumentException("need at least two periods (" + 2 * period + " points) of history, got " + history.length);
        }
        // With three periods or more, choose the parameters the way the model is used: fit on all but the
        // last period, forecast that period 1..period steps ahead, keep the parameters with the smallest
        // absolute error. One-step error alone favours a seasonal component that chases every burst.
        boolean validate = history.length >= 3 * period;
        double[] training = validate ? java.util.Arrays.copyOf(history, history.length - period) : history;
        double bestAlpha = 0;
        double bestBeta = 0;
        double bestGamma = 0;
        double bestError = Double.POSITIVE_INFINITY;
        for (double a : GRID) {
            for (double b : TREND_GRID) {
                if (b > a) continue; // a trend that reacts faster than the level only chases noise
                for (double g : GRID) {
                    HoltWinters model = run(training, period, a, b, g);
                    double error = validate ? model.absoluteError(history, training.length) : model.fitLoss;
                    if (error < bestError) {
                        bestError = error;
                        bestAlpha = a;
                        bestBeta = b;
                        bestGamma = g;
                    }
                }
            }
        }
        return run(history, period, bestAlpha, bestBeta, bestGamma);
    }

    /** Sum of absolute errors of this model's forecasts of {@code actual[from..]}, 1, 2, ... steps ahead. */
    private double absoluteError(double[] actual, int from) {
        double sum = 0;
        for (int t = from; t < actual.length; t++) sum += Math.abs(actual[t] - forecast(t - from + 1));
        return sum;
    }

    private static HoltWinters run(double[] y, int m, double alpha, double beta, double gamma) {
        double firstMean = mean(y, 0, m);
        double secondMean = mean(y, m, 2 * m);
        double level = firstMean;
        double trend = beta == 0 ? 0 : (secondMean - firstMean) / m;
        double[] season = new double[m];
        // The first period's mean sits at its middle point: take the trend out before reading the seasonal shape.
        for (int i = 0; i < m; i++) season[i] = y[i] - (firstMean + (i - (m - 1) / 2.0) * trend);
        level = firstMean + ((m - 1) / 2.0) * trend;

        // Robust scale of one-step errors (exponentially weighted mean absolute error), seeded from the
        // second period's change over the first.
        double scale = 0;
        for (int t = m; t < 2 * m; t++) scale += Math.abs(y[t] - y[t - m]);
        scale = Math.max(scale / m, 1e-9);

        double squaredError = 0;
        double fitLoss = 0;
        int n = 0;
        for (int t = m; t < y.length; t++) {
            double seasonal = season[t % m];
            double forecast = level + trend + seasonal;
            double error = y[t] - forecast;
            squaredError += error * error;
            n++;
            // Bursts are real load, but they say nothing about the next period: the states learn from the
            // error clipped to a few robust deviations (Gelper, Fried and Croux, 2010), the residuals keep it all.
            double limit = CLIP * scale;
            // Fit on Huber loss, so the parameters are chosen for the load's shape, not to chase its bursts.
            fitLoss += Math.abs(error) <= limit ? error * error : limit * (2 * Math.abs(error) - limit);
            double cleaned = forecast + Math.max(-limit, Math.min(limit, error));
            scale = SCALE_SMOOTHING * Math.abs(Math.max(-limit * 2, Math.min(limit * 2, error))) + (1 - SCALE_SMOOTHING) * scale;
            double previousLevel = level;
            level = alpha * (cleaned - seasonal) + (1 - alpha) * (level + trend);
            trend = beta * (level - previousLevel) + (1 - beta) * trend;
            season[t % m] = gamma * (cleaned - level) + (1 - gamma) * seasonal;
        }
        return new HoltWinters(m, alpha, beta, gamma, level, trend, season, y.length, Math.sqrt(squaredError / Math.max(1, n)),
                fitLoss / Math.max(1, n));
    }

    private static double mean(double[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += y[i];
        return sum / (to - from);
    }

    /** The point forecast {@code h} steps ahead (h ≥ 1). */
    public double forecast(int h) {
        return level + h * trend + season[(next + h - 1) % period];
    }

    /**
     * Half-width of the prediction interval {@code h} steps ahead at the given z (1.96 for 95 %):
     * σ·sqrt(1 + Σ_{j=1}^{h-1} c_j²) with c_j = α(1 + jβ) + γ·[j mod period = 0].
     */
    public double intervalHalfWidth(int h, double z) {
        double variance = 1;
        for (int j = 1; j < h; j++) {
            double c = alpha * (1 + j * beta) + (j % period == 0 ? gamma : 0);
            variance += c * c;
        }
        return z * residualStdDev * Math.sqrt(variance);
    }

    public double residualStdDev() {
        return residualStdDev;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double gamma() {
        return gamma;
    }
}
