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
 * Heartbeat {@code absence}: no further event for a key within {@code for} after its last one fires at
 * lastEvent + {@code for} (event time, once the watermark passes it); the key's next event sends
 * {@code resolved} at its own time. An event exactly {@code for} after the last one is in time.
 *
 * <p>Why not CEP: the pattern would be "beat, then no beat within for", one partial match per heartbeat
 * (each written to and removed from the shared buffer), and CEP forgets a match once emitted, so it
 * cannot tell the resumed heartbeat that the key was alerting. One event and one deadline timer per key
 * do both. The timer is lazy: it is set at the first event's deadline and, when it fires before the
 * latest event's deadline, moved there; a timer per event (each pushed into and polled from the timer
 * queue) was the largest cost in the benchmark's profile, and a key that beats every second with a
 * {@code for} of 20 s now costs one timer per 20 s. The final watermark of a bounded input passes every deadline: at the end of a file every
 * key's heartbeat has stopped, and fires at its last event + {@code for}.
 */
public final class HeartbeatFunction extends RuleStateMachine {
    private static final long serialVersionUID = 1L;

    private final long forMillis;
    private transient ValueState<Beat> beat;

    public HeartbeatFunction(Rule rule) {
        super(rule);
        this.forMillis = rule.forDuration.toMillis();
    }

    /** The latest event of a key, and whether its absence has been alerted. */
    public static class Beat {
        public RuleEvent last;
        public boolean firing;
        /** The event time of the pending deadline timer, or 0 when none is set. */
        public long timer;

        public Beat() {}
    }

    @Override
    public void open(RuntimeContext context) throws Exception {
        beat = context.getState(new ValueStateDescriptor<>(stateName("beat"), TypeInformation.of(Beat.class)));
    }

    @Override
    public void onEvents(long timestamp, List<RuleEvent> events, TimerService timers, Collector<Alert> out) throws Exception {
        Beat b = beat.value();
        if (b == null) b = new Beat();
        RuleEvent event = events.get(events.size() - 1);
        if (b.firing) {
            out.collect(Alerts.of(rule, Alert.RESOLVED, timestamp, b.last.timestamp + forMillis, List.of(b.last, event),
                    "events resumed at " + timestamp + " after the last at " + b.last.timestamp));
            b.firing = false;
        }
        b.last = event;
        // A timer at or before now has fired (timers fire in order): the deadline needs a new one.
        if (b.timer <= timestamp) {
            b.timer = timestamp + forMillis;
            timers.registerEventTimeTimer(b.timer);
        }
        beat.update(b);
    }

    @Override
    public void onDeadline(long timestamp, TimerService timers, Collector<Alert> out) throws Exception {
        Beat b = beat.value();
        if (b == null || b.firing) return;
        long deadline = b.last.timestamp + forMillis;
        if (deadline > timestamp) {
            // Our timer fired early (later events moved the deadline): follow it. Another rule's timer: nothing to do.
            if (b.timer == timestamp) {
                b.timer = deadline;
                timers.registerEventTimeTimer(deadline);
                beat.update(b);
            }
            return;
        }
        b.firing = true;
        b.timer = 0;
        beat.update(b);
        out.collect(Alerts.of(rule, Alert.FIRING, deadline, b.last.timestamp, List.of(b.last),
                "no event for " + rule.forDuration + " after the last at " + b.last.timestamp));
    }
}
