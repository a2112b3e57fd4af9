package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The Flink CEP patterns of the kinds CEP expresses directly, over one rule's {@link RuleEvent}s (the
 * selection already happened in {@link RuleSelector}, so a pattern only tests the flags).
 */
public final class RulePatterns {
    static final String EVENTS = "events";
    static final String AFTER = "after";
    static final String EXPECT = "expect";

    private RulePatterns() {}

    /**
     * {@code count}: N of the rule's events within {@code within}, first to last. Consecutive, because
     * every event in the stream qualifies and relaxed contiguity would also try every subset. Skipping
     * past the match means the next alert needs N new events (and the cooldown spaces alerts further).
     */
    public static Pattern<RuleEvent, ?> count(Rule rule) {
        return Pattern.<RuleEvent>begin(EVENTS, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(flag(RuleEvent.HOLDS))
                .times(rule.count)
                .consecutive()
                .within(rule.within);
    }

    /**
     * {@code sequence}: each step's accepted event, in event-time order, first to last within
     * {@code within}. Strict uses {@code next}: the rule's stream holds every event that matches any
     * step's selector for this key, so any such event between two steps that is not the expected step
     * breaks the sequence; events that no step selects never reach the rule and do not count.
     */
    public static Pattern<RuleEvent, ?> sequence(Rule rule) {
        Pattern<RuleEvent, RuleEvent> pattern = Pattern.<RuleEvent>begin(step(0), AfterMatchSkipStrategy.skipPastLastEvent()).where(flag(1));
        for (int s = 1; s < rule.steps.size(); s++) {
            pattern = (rule.strict ? pattern.next(step(s)) : pattern.followedBy(step(s))).where(flag(1 << s));
        }
        return pattern.within(rule.within);
    }

    /**
     * {@code absence} with {@code after}/{@code expect}: a trigger followed by the expected event within
     * {@code within}. A full match is the good case and emits nothing; the alert comes from the partial
     * match that times out. No skip: one follow-up answers every trigger still waiting for it.
     */
    public static Pattern<RuleEvent, ?> afterExpect(Rule rule) {
        return Pattern.<RuleEvent>begin(AFTER, AfterMatchSkipStrategy.noSkip())
                .where(flag(RuleEvent.AFTER))
                .followedBy(EXPECT)
                .where(flag(RuleEvent.EXPECT))
                .within(rule.within);
    }

    /**
     * How long after a trigger a late follow-up still resolves its after/expect alert: ten times
     * {@code within}, at least an hour. Beyond it the partial match is dropped, so a trigger that is
     * never answered does not keep state forever.
     */
    public static java.time.Duration resolveHorizon(Rule rule) {
        java.time.Duration tenTimes = rule.within.multipliedBy(10);
        return tenTimes.compareTo(java.time.Duration.ofHours(1)) > 0 ? tenTimes : java.time.Duration.ofHours(1);
    }

    /**
     * The resolving half of an after/expect {@code absence}: the same trigger and follow-up, over
     * {@link #resolveHorizon}; a match whose follow-up came later than {@code within} resolves the alert
     * {@link #afterExpect} fired for that trigger.
     */
    public static Pattern<RuleEvent, ?> lateFollowUp(Rule rule) {
        return Pattern.<RuleEvent>begin(AFTER, AfterMatchSkipStrategy.noSkip())
                .where(flag(RuleEvent.AFTER))
                .followedBy(EXPECT)
                .where(flag(RuleEvent.EXPECT))
                .within(resolveHorizon(rule));
    }

    static String step(int index) {
        return "step" + index;
    }

    private static SimpleCondition<RuleEvent> flag(int flag) {
        return SimpleCondition.of(e -> e.has(flag));
    }
}
