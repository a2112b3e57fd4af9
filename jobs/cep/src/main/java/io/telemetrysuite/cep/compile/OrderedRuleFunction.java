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
 * A rule's keyed state machine that sees each key's events in event-time order, as the CEP operator
 * does: events wait in state until the watermark passes them, then are handed over one timestamp at a
 * time; events already behind the watermark are dropped as late. Because the event-time timers of one
 * key fire in timestamp order, a deadline timer a subclass registers (a heartbeat's) interleaves
 * correctly with the buffered events even when the whole input arrived before any watermark (a
 * bounded run decides everything at its final watermark).
 */
public abstract class OrderedRuleFunction extends KeyedProcessFunction<String, RuleEvent, Alert> {
    private static final long serialVersionUID = 1L;

    private transient MapState<Long, List<RuleEvent>> pending;

    /** The key's events at {@code timestamp}, in arrival order, once the watermark has passed it. */
    protected abstract void onEvents(long timestamp, List<RuleEvent> events, OnTimerContext ctx, Collector<Alert> out) throws Exception;

    /** A timer at {@code timestamp} with no events there: a subclass's deadline. */
    protected void onDeadline(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {}

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(TypeInformation.of(RuleEvent.class))));
    }

    @Override
    public void processElement(RuleEvent event, Context ctx, Collector<Alert> out) throws Exception {
        if (event.timestamp <= ctx.timerService().currentWatermark()) return; // late: its time has been decided already
        List<RuleEvent> at = pending.get(event.timestamp);
        if (at == null) {
            at = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(event.timestamp);
        }
        at.add(event);
        pending.put(event.timestamp, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<RuleEvent> events = pending.get(timestamp);
        if (events == null) {
            onDeadline(timestamp, ctx, out);
            return;
        }
        pending.remove(timestamp);
        onEvents(timestamp, events, ctx, out);
    }
}
