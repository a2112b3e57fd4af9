package io.telemetrysuite.cep.compile;

import io.telemetrysuite.model.Alert;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed operator of the {@link RuleStateMachine} rules that read the same signal and are keyed by
 * the same {@code by}: each key's events wait in state until the watermark passes them, then go to
 * each rule, one timestamp at a time and in event-time order, as a CEP operator orders them; events
 * already behind the watermark are dropped as late. Because the event-time timers of one key fire in
 * timestamp order, a deadline timer a rule registers (a heartbeat's) interleaves correctly with the
 * buffered events even when the whole input arrived before any watermark (a bounded run decides
 * everything at its final watermark).
 *
 * <p>Why one operator for several rules: per rule, every event cost a record through the shuffle, a
 * pending-state entry and an event-time timer, and the timers dominated the profile (one priority-queue
 * insertion and removal per rule per event). Shared, it is one of each per event. The rules' own state
 * stays per rule (named {@code <rule uid>/...}), so a savepoint still restores every unchanged rule; see
 * {@link RuleCompiler} for what this costs.
 */
public final class OrderedRules extends KeyedProcessFunction<String, GroupEvent, Alert> {
    private static final long serialVersionUID = 1L;

    private final List<RuleStateMachine> rules;
    private final String[] ruleIds;
    private transient MapState<Long, List<GroupEvent>> pending;

    public OrderedRules(List<RuleStateMachine> rules) {
        this.rules = List.copyOf(rules);
        this.ruleIds = rules.stream().map(r -> RuleCompiler.uid(r.rule())).toArray(String[]::new);
    }

    /** The rules' uids in the order {@link GroupEvent#events} must follow. */
    public String[] ruleIds() {
        return ruleIds.clone();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(TypeInformation.of(GroupEvent.class))));
        for (RuleStateMachine rule : rules) rule.open(getRuntimeContext());
    }

    @Override
    public void processElement(GroupEvent event, Context ctx, Collector<Alert> out) throws Exception {
        if (event.timestamp <= ctx.timerService().currentWatermark()) return; // late: its time has been decided already
        List<GroupEvent> at = pending.get(event.timestamp);
        if (at == null) {
            at = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(event.timestamp);
        }
        at.add(event);
        pending.put(event.timestamp, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<GroupEvent> events = pending.get(timestamp);
        if (events != null) pending.remove(timestamp);
        for (int r = 0; r < rules.size(); r++) {
            List<RuleEvent> mine = null;
            if (events != null) {
                for (GroupEvent g : events) {
                    RuleEvent e = eventOf(g, r);
                    if (e == null) continue;
                    if (mine == null) mine = new ArrayList<>(events.size());
                    mine.add(e);
                }
            }
            if (mine == null) rules.get(r).onDeadline(timestamp, ctx.timerService(), out);
            else rules.get(r).onEvents(timestamp, mine, ctx.timerService(), out);
        }
    }

    /** Rule {@code r}'s view of {@code g}: by position while the rule set is the one {@code g} was made for, else by id. */
    private RuleEvent eventOf(GroupEvent g, int r) {
        if (r < g.ruleIds.length && ruleIds[r].equals(g.ruleIds[r])) return g.events[r];
        for (int i = 0; i < g.ruleIds.length; i++) {
            if (ruleIds[r].equals(g.ruleIds[i])) return g.events[i];
        }
        return null;
    }
}
