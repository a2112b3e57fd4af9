package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * {@code baseline}: the field deviates from its own recent mean by more than {@code deviation}
 * standard deviations, held for {@code for}. CEP has no rolling statistics, so this is a keyed
 * function (see {@link HeldConditionFunction} for the hold and the ordering).
 *
 * <p>The baseline of an event is every earlier event of its key in the preceding {@code baseline}
 * duration, kept as count, sum and sum of squares in {@value #BUCKETS} buckets of {@code baseline/60}
 * each (so the window's far edge moves in steps of a sixtieth of it). An event joins the baseline after
 * it is judged, and only if it did not deviate: deviating samples would widen the standard deviation
 * they are judged by, so a shift would hide itself before its {@code for} had passed (the shipped
 * latency-shift rule did exactly that). A shift that lasts longer than {@code baseline} leaves too few
 * samples to judge, and the alert resolves. Nothing is judged before {@code minSamples} events are in
 * the baseline, or while its standard deviation is zero.
 */
public final class BaselineFunction extends HeldConditionFunction {
    private static final long serialVersionUID = 1L;
    static final int BUCKETS = 60;

    private final long bucketMillis;
    private final long baselineMillis;
    private transient ValueState<Moments> moments;
    /** The baseline the last judged event was compared with, for the alert summary. */
    private transient double lastMean;
    private transient double lastStddev;

    public BaselineFunction(Rule rule) {
        super(rule);
        this.baselineMillis = rule.baseline.toMillis();
        this.bucketMillis = Math.max(1, baselineMillis / BUCKETS);
    }

    /** Count, sum and sum of squares per bucket, in a ring indexed by bucket number. */
    public static class Moments {
        public long[] bucket = new long[BUCKETS];
        public double[] count = new double[BUCKETS];
        public double[] sum = new double[BUCKETS];
        public double[] sumOfSquares = new double[BUCKETS];

        public Moments() {
            java.util.Arrays.fill(bucket, Long.MIN_VALUE);
        }
    }

    @Override
    public void open(RuntimeContext context) throws Exception {
        super.open(context);
        moments = context.getState(new ValueStateDescriptor<>(stateName("baseline"), TypeInformation.of(Moments.class)));
    }

    @Override
    protected boolean holds(RuleEvent event) throws Exception {
        Moments m = moments.value();
        if (m == null) m = new Moments();
        long now = Math.floorDiv(event.timestamp, bucketMillis);
        long oldest = Math.floorDiv(event.timestamp - baselineMillis, bucketMillis) + 1;
        double n = 0, sum = 0, squares = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (m.bucket[i] >= oldest && m.bucket[i] <= now) {
                n += m.count[i];
                sum += m.sum[i];
                squares += m.sumOfSquares[i];
            }
        }
        boolean deviates = false;
        if (n >= rule.minSamples && n > 1) {
            double mean = sum / n;
            double variance = Math.max(0, squares / n - mean * mean);
            double stddev = Math.sqrt(variance);
            lastMean = mean;
            lastStddev = stddev;
            deviates = stddev > 0 && Math.abs(event.value - mean) > rule.deviation * stddev;
        }
        if (deviates) return true;
        int slot = (int) Math.floorMod(now, (long) BUCKETS);
        if (m.bucket[slot] != now) {
            m.bucket[slot] = now;
            m.count[slot] = 0;
            m.sum[slot] = 0;
            m.sumOfSquares[slot] = 0;
        }
        m.count[slot] += 1;
        m.sum[slot] += event.value;
        m.sumOfSquares[slot] += event.value * event.value;
        moments.update(m);
        return deviates;
    }

    @Override
    protected String summary(Hold hold, RuleEvent event) {
        return rule.field + " " + Alerts.number(event.value) + " deviates from its baseline " + Alerts.number(lastMean) + " ± "
                + Alerts.number(lastStddev) + " by more than " + Alerts.number(rule.deviation) + "σ since " + hold.since;
    }
}
