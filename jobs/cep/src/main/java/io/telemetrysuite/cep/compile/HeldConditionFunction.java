package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.model.Alert;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * A condition that must hold on every event of a key for a duration (Prometheus {@code for}, in event
 * time), with a {@code resolved} when it stops holding: the state machine behind {@code threshold} and
 * {@code baseline} rules, one instance per rule, run by the {@link OrderedRules} operator of its signal and key.
 *
 * <p>Why not a CEP pattern: "held for" could be written as a looping pattern, but it would keep every
 * event of the run in the shared buffer (a 2 m hold over 1 s samples: 120 events per key), and CEP has
 * no notion of the alert still firing, which {@code resolved} needs. This function keeps one small
 * record per key instead, and sees each key's events in event-time order ({@link OrderedRules}),
 * so the decision does not depend on arrival order.
 *
 * <p>Semantics, on the events in event-time order: the first event on which the condition holds starts
 * the hold; the first holding event at least {@code for} after that start fires (its time is the alert's
 * {@code eventTime}, the start its {@code startsAt}); an event on which it does not hold ends the hold,
 * and if it had fired, sends {@code resolved} at that event's time.
 */
public abstract class HeldConditionFunction extends RuleStateMachine {
    private static final long serialVersionUID = 1L;

    private final long forMillis;
    private transient ValueState<Hold> hold;

    protected HeldConditionFunction(Rule rule) {
        super(rule);
        this.forMillis = rule.forDuration.toMillis();
    }

    /** Hold state of one key: when the current hold started (or -1), whether it fired, and the first event of the hold. */
    public static class Hold {
        public long since = -1;
        public boolean firing;
        public RuleEvent first;

        public Hold() {}
    }

    /** Whether the condition holds on {@code event}; called once per event, in event-time order (so it may update statistics). */
    protected abstract boolean holds(RuleEvent event) throws Exception;

    protected abstract String summary(Hold hold, RuleEvent event);

    @Override
    public void open(RuntimeContext context) throws Exception {
        hold = context.getState(new ValueStateDescriptor<>(stateName("hold"), TypeInformation.of(Hold.class)));
    }

    @Override
    public void onEvents(long timestamp, List<RuleEvent> events, TimerService timers, Collector<Alert> out) throws Exception {
        Hold h = hold.value();
        boolean stored = h != null;
        if (h == null) h = new Hold();
        for (RuleEvent event : events) {
            if (holds(event)) {
                if (h.since < 0) {
                    h.since = event.timestamp;
                    h.first = event;
                }
                if (!h.firing && event.timestamp - h.since >= forMillis) {
                    h.firing = true;
                    out.collect(Alerts.of(rule, Alert.FIRING, event.timestamp, h.since, List.of(h.first, event), summary(h, event)));
                }
            } else {
                if (h.firing) {
                    out.collect(Alerts.of(rule, Alert.RESOLVED, event.timestamp, h.since, List.of(h.first, event),
                            "cleared at " + event.timestamp + " after holding since " + h.since));
                }
                h.since = -1;
                h.firing = false;
                h.first = null;
            }
        }
        // Most events of most keys hold nothing: skip the state write (a keyed-state lookup) when there is nothing to clear.
        if (h.since >= 0) hold.update(h);
        else if (stored) hold.clear();
    }
}
