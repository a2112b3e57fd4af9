package io.telemetrysuite.aggregate.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HoltWintersTest {
    private static final int PERIOD = 60;

    @Test
    void aNoiselessSeasonalSeriesIsForecastExactly() {
        double[] series = new double[PERIOD * 4];
        for (int t = 0; t < series.length; t++) series[t] = 100 + 0.5 * t + 20 * Math.sin(2 * Math.PI * t / PERIOD);
        HoltWinters model = HoltWinters.fit(series, PERIOD);
        for (int h = 1; h <= PERIOD; h++) {
            int t = series.length + h - 1;
            double truth = 100 + 0.5 * t + 20 * Math.sin(2 * Math.PI * t / PERIOD);
            assertThat(model.forecast(h)).as("h=%d", h).isCloseTo(truth, within(1.0));
        }
    }

    /**
     * The synthetic workload's shape (periodic load, 10 % noise, a burst now and then): fit on six
     * periods, forecast the seventh, and measure against what was held back.
     */
    @Test
    void onPeriodicLoadWithBurstsTheHeldBackPeriodIsForecastBetterThanSeasonalNaiveAndTheIntervalCoversIt() {
        Random random = new Random(5);
        double[] series = new double[PERIOD * 7];
        for (int t = 0; t < series.length; t++) {
            double load = 1000 * (1 + 0.8 * Math.sin(2 * Math.PI * t / PERIOD));
            double burst = (t % 97 < 3) ? load : 0; // short bursts that double the load
            series[t] = load + burst + load * 0.1 * random.nextGaussian();
        }
        double[] history = java.util.Arrays.copyOf(series, PERIOD * 6);
        HoltWinters model = HoltWinters.fit(history, PERIOD);

        double absoluteError = 0;
        double naiveError = 0;
        double total = 0;
        int covered = 0;
        for (int h = 1; h <= PERIOD; h++) {
            double actual = series[history.length + h - 1];
            absoluteError += Math.abs(model.forecast(h) - actual);
            naiveError += Math.abs(series[history.length + h - 1 - PERIOD] - actual); // "same as one period ago"
            total += actual;
            if (Math.abs(model.forecast(h) - actual) <= model.intervalHalfWidth(h, 1.96)) covered++;
        }
        double weightedMape = absoluteError / total;
        System.out.printf("Holt-Winters on held-back period: WMAPE %.1f %% (seasonal naive %.1f %%), 95 %% interval covered %d of %d"
                + " (alpha %.2f beta %.2f gamma %.2f)%n",
                100 * weightedMape, 100 * naiveError / total, covered, PERIOD, model.alpha(), model.beta(), model.gamma());
        // Noise is 10 % and about 3 % of points are unforecastable bursts, so ~11 % is the floor.
        assertThat(weightedMape).isLessThan(0.16).isLessThan(naiveError / total);
        assertThat(covered).isGreaterThanOrEqualTo((int) (0.85 * PERIOD));
    }

    @Test
    void fewerThanTwoPeriodsOfHistoryIsRefused() {
        assertThatThrownBy(() -> HoltWinters.fit(new double[PERIOD + 5], PERIOD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two periods");
    }
}
