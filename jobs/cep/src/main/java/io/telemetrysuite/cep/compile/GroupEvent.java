package io.telemetrysuite.cep.compile;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One input event as the rules of one {@link OrderedRules} operator see it: their shared key and the
 * event time, and per rule ({@link #ruleIds}: the rules' uids, {@link RuleCompiler#uid}, in the operator's
 * order) its {@link RuleEvent}, or
 * null when that rule does not select the event. One record crosses the shuffle and waits in state
 * for all of them, where one {@link RuleEvent} per rule would cost a record, a state entry and an
 * event-time timer each.
 *
 * <p>The rule uids travel with the record (the array is shared, not copied, on the way in) so that
 * events restored from a savepoint taken with another rule set still reach the right rules, and never
 * an edited rule.
 */
@TypeInfo(GroupEventTypeInfo.Factory.class)
public class GroupEvent {
    public String key = "";
    public long timestamp;
    public String[] ruleIds = new String[0];
    /** {@code events[i]} belongs to {@code ruleIds[i]}; its key and timestamp are this record's. */
    public RuleEvent[] events = new RuleEvent[0];

    public GroupEvent() {}
}
