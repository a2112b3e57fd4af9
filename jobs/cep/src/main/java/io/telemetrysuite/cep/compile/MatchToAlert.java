package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.cep.rule.RuleKind;
import io.telemetrysuite.model.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a CEP match into its alert: a completed {@code count} or {@code sequence}, or, for an
 * after/expect {@code absence}, a trigger whose follow-up timed out (sent to {@link #TIMED_OUT}; the
 * completed match, where the follow-up came in time, emits nothing) and, in the resolving instance, the
 * {@code resolved} when the follow-up finally comes.
 */
public final class MatchToAlert extends PatternProcessFunction<RuleEvent, Alert> implements TimedOutPartialMatchHandler<RuleEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Alert> TIMED_OUT = new OutputTag<>("timed-out", TypeInformation.of(Alert.class));

    private final Rule rule;
    /** For an after/expect absence: this instance runs {@link RulePatterns#lateFollowUp} and only resolves. */
    private final boolean resolving;

    public MatchToAlert(Rule rule) {
        this(rule, false);
    }

    public MatchToAlert(Rule rule, boolean resolving) {
        this.rule = rule;
        this.resolving = resolving;
    }

    @Override
    public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
        if (rule.kind == RuleKind.ABSENCE) {
            RuleEvent trigger = match.get(RulePatterns.AFTER).get(0);
            RuleEvent followUp = match.get(RulePatterns.EXPECT).get(0);
            long due = trigger.timestamp + rule.within.toMillis();
            // Answered in time: the good case. Answered late: the alert fired at `due` is resolved now.
            if (resolving && followUp.timestamp >= due) {
                out.collect(Alerts.of(rule, Alert.RESOLVED, followUp.timestamp, trigger.timestamp, List.of(trigger, followUp),
                        "follow-up at " + followUp.timestamp + " to the trigger at " + trigger.timestamp + ", later than " + rule.within));
            }
            return;
        }
        List<RuleEvent> events = new ArrayList<>();
        if (rule.kind == RuleKind.SEQUENCE) {
            for (int s = 0; s < rule.steps.size(); s++) events.addAll(match.get(RulePatterns.step(s)));
        } else {
            events.addAll(match.get(RulePatterns.EVENTS));
        }
        long first = events.get(0).timestamp;
        long last = events.get(events.size() - 1).timestamp;
        String summary = rule.kind == RuleKind.SEQUENCE
                ? rule.steps.size() + " steps in order from " + first + " to " + last
                : events.size() + " events from " + first + " to " + last + " (within " + rule.within + ")";
        out.collect(Alerts.of(rule, Alert.FIRING, last, first, events, summary));
    }

    @Override
    public void processTimedOutMatch(Map<String, List<RuleEvent>> match, Context ctx) {
        // A count or sequence that ran out of time is simply no match; so is a trigger past the resolve horizon.
        if (rule.kind != RuleKind.ABSENCE || resolving) return;
        RuleEvent trigger = match.get(RulePatterns.AFTER).get(0);
        long due = trigger.timestamp + rule.within.toMillis();
        ctx.output(TIMED_OUT, Alerts.of(rule, Alert.FIRING, due, trigger.timestamp, List.of(trigger),
                "no " + rule.expect + " within " + rule.within + " after " + rule.after + " at " + trigger.timestamp));
    }
}
