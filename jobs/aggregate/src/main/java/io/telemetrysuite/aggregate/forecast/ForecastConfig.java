package io.telemetrysuite.aggregate.forecast;

import io.telemetrysuite.aggregate.AggregateConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * The load forecaster's settings, with their defaults in one place.
 *
 * <pre>
 * resolution: 1m        # the final aggregates the history is read from (one of the job's resolutions)
 * seasonPoints: 60      # windows per seasonal cycle: 60 × 1m = an hourly cycle
 * historySeasons: 3     # cycles of history kept per subject (at least 2: Holt-Winters needs two to start)
 * horizonSteps: 15      # forecasts for 1 … 15 windows ahead (15 min at 1m)
 * refitEvery: 5         # windows between refits (and emissions) once two cycles are in
 * </pre>
 *
 * <p>The first forecasts for a subject come after {@code 2 × seasonPoints} windows of history (two
 * hours with the defaults); from then on every {@code refitEvery} windows the model is refitted on the
 * last {@code historySeasons × seasonPoints} windows and {@code horizonSteps} forecasts are emitted
 * per quantity.
 */
public class ForecastConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Duration resolution = Duration.ofMinutes(1);
    public int seasonPoints = 60;
    public int historySeasons = 3;
    public int horizonSteps = 15;
    public int refitEvery = 5;

    public ForecastConfig() {}

    /** The resolution's label, as in {@code Aggregate.resolution}: {@code 1m}. */
    public String resolutionLabel() {
        return AggregateConfig.label(resolution);
    }

    /** Windows of history kept per subject. */
    public int capacity() {
        return seasonPoints * historySeasons;
    }

    /** @throws IllegalArgumentException naming the first setting out of range */
    public ForecastConfig validate() {
        if (resolution == null || resolution.isZero() || resolution.isNegative()) {
            throw new IllegalArgumentException("forecast resolution must be positive, got " + resolution);
        }
        if (seasonPoints < 2) throw new IllegalArgumentException("forecast seasonPoints must be at least 2, got " + seasonPoints);
        if (historySeasons < 2) throw new IllegalArgumentException("forecast historySeasons must be at least 2, got " + historySeasons);
        if (horizonSteps < 1) throw new IllegalArgumentException("forecast horizonSteps must be at least 1, got " + horizonSteps);
        if (refitEvery < 1) throw new IllegalArgumentException("forecast refitEvery must be at least 1, got " + refitEvery);
        return this;
    }

    /** As {@link #validate()}, and the resolution must be one the aggregate job computes. */
    public ForecastConfig validate(AggregateConfig aggregates) {
        validate();
        if (!aggregates.resolutions.contains(resolution)) {
            throw new IllegalArgumentException("forecast resolution " + resolutionLabel() + " is not one of the aggregate resolutions "
                    + aggregates.resolutions.stream().map(AggregateConfig::label).toList());
        }
        return this;
    }
}
