package io.telemetrysuite.cep.compile;

import io.telemetrysuite.model.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A rule's {@code cooldown}, keyed by the alert's fingerprint (rule and labels): a firing alert less
 * than the cooldown (event time) after the last one that went out is dropped, and so is the
 * {@code resolved} that belongs to it, so a receiver never sees a resolved for an alert it was not sent.
 * Applied after the rule's operator rather than inside CEP, whose matches carry no memory of earlier
 * ones.
 */
public final class CooldownFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;

    private final long cooldownMillis;
    private transient ValueState<Sent> sent;

    public CooldownFunction(long cooldownMillis) {
        this.cooldownMillis = cooldownMillis;
    }

    /** When the last firing alert went out, and whether the one after it was held back. */
    public static class Sent {
        public long lastFiring;
        public boolean suppressed;

        public Sent() {}
    }

    @Override
    public void open(OpenContext openContext) {
        sent = getRuntimeContext().getState(new ValueStateDescriptor<>("sent", TypeInformation.of(Sent.class)));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Sent s = sent.value();
        if (Alert.RESOLVED.equals(alert.status)) {
            if (s != null && s.suppressed) {
                s.suppressed = false;
                sent.update(s);
            } else {
                out.collect(alert);
            }
            return;
        }
        if (s != null && alert.eventTime - s.lastFiring < cooldownMillis) {
            s.suppressed = true;
            sent.update(s);
            return;
        }
        if (s == null) s = new Sent();
        s.lastFiring = alert.eventTime;
        s.suppressed = false;
        sent.update(s);
        out.collect(alert);
    }
}
