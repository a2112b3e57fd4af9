package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Signal;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event as one rule sees it: the rule's key, the event time, what the rule's selectors said about
 * it ({@link #flags}) and the value that decides. Rules are evaluated on the raw event once, before
 * keying, so the CEP operators and the state machines behind them hold these small records instead of
 * whole spans or log records (and never need to read a field again).
 *
 * <p>Every rule sends one of these per selected event through a shuffle and keeps some in state, so it
 * carries only what the rule needs: no attribute map. An alert's labels are the {@code by} values, read
 * back from {@link #key} ({@link Alerts#labels}); the few attributes a rule's annotations name besides
 * them travel in {@link #extra}, null when there are none (the common case). Serialized by
 * {@link RuleEventTypeInfo}'s hand-written serializer, not reflectively.
 */
@TypeInfo(RuleEventTypeInfo.Factory.class)
public class RuleEvent {
    /** {@code threshold}: the condition holds. {@code count}, heartbeat {@code absence}: always set. */
    public static final int HOLDS = 1;
    /** {@code absence} after/expect: the event is a trigger ({@code after}). */
    public static final int AFTER = 1;
    /** {@code absence} after/expect: the event is the expected follow-up ({@code expect}). */
    public static final int EXPECT = 2;

    /** The values of the rule's {@code by} attributes, joined (see {@link RuleSelector#KEY_SEPARATOR}): what the rule is keyed by. */
    public String key = "";
    public long timestamp;
    /** Per kind: {@link #HOLDS}; {@link #AFTER}/{@link #EXPECT}; for a sequence, bit i when step i accepts the event. */
    public int flags;
    /** The condition's (threshold) or field's (baseline) value; NaN when the rule reads none. */
    public double value = Double.NaN;
    /** The event's signal, for alert summaries. */
    public Signal signal = Signal.SPAN;
    /**
     * The values, as found on the event (null when absent), of the attributes the rule's annotations name
     * that are not among its {@code by} ({@link Alerts#extraAttributes}), in that order; null when the rule
     * names none.
     */
    public String[] extra;

    public RuleEvent() {}

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** {@code signal@time value=x}: how an alert lists the events that made it. */
    public String describe() {
        return signal.yamlName() + "@" + timestamp + (Double.isNaN(value) ? "" : " value=" + Alerts.number(value));
    }

    @Override
    public String toString() {
        return "RuleEvent{" + key + " @" + timestamp + " flags=" + flags + " value=" + value + "}";
    }
}
