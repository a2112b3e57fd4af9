package io.telemetrysuite.model;

/**
 * One predicted value of one quantity for one subject (a service or a tenant), {@code horizonSteps}
 * windows after the last window the model saw, with a 95 % prediction interval: one line of
 * {@code forecasts.jsonl}.
 *
 * <p>Times are window ends in epoch milliseconds, as {@link Aggregate#windowEnd}: the forecast is for
 * the window {@code [targetTime - resolution, targetTime)}, and {@code targetTime = issuedAt +
 * horizonSteps × resolution}.
 */
public class Forecast {
    /** The subject kind: {@code service} (from span aggregates) or {@code tenant} (from workload aggregates). */
    public String signal = "";
    /** The service, for {@code signal = service}; empty otherwise. */
    public String serviceName = "";
    /** The tenant, for {@code signal = tenant}; empty otherwise. */
    public String tenant = "";
    /** {@code requests}, {@code cpuPercent} or {@code memoryBytes}. */
    public String quantity = "";
    /** The window length the history and the forecast are at, as configured: {@code 1m}. */
    public String resolution = "";
    /** End of the last window the model was fitted on (epoch ms). */
    public long issuedAt;
    /** End of the predicted window (epoch ms). */
    public long targetTime;
    /** Windows ahead of {@code issuedAt}: 1 for the next window. */
    public int horizonSteps;
    public double predicted;
    /** Bounds of the 95 % prediction interval. */
    public double lower;
    public double upper;
    /** {@code holt-winters}. */
    public String model = "";
    /** The fitted smoothing parameters of level, trend and season. */
    public double alpha;
    public double beta;
    public double gamma;
    /** Standard deviation of the one-step-ahead errors on the history. */
    public double residualStdDev;
    /** Windows of history the model was fitted on. */
    public int historyPoints;

    public Forecast() {}

    @Override
    public String toString() {
        return "Forecast{" + signal + " " + serviceName + tenant + " " + quantity + " " + resolution + " issuedAt=" + issuedAt
                + " target=" + targetTime + " h=" + horizonSteps + " " + predicted + " [" + lower + ", " + upper + "]}";
    }
}
