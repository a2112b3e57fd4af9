package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;
import io.telemetrysuite.model.Alert;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * The keyed state machine of one rule that is not a CEP pattern ({@code threshold}, {@code baseline},
 * heartbeat {@code absence}), run by {@link OrderedRules} next to the other such rules of the same
 * signal and key: it sees each key's events in event-time order and keeps its own state, named after
 * its rule's uid, content hash included ({@link #stateName}), so a savepoint restores it for as long as
 * the rule is unchanged, whatever other rules are added to or removed from its operator, and an edited
 * rule starts empty.
 */
public abstract class RuleStateMachine implements Serializable {
    private static final long serialVersionUID = 1L;

    protected final Rule rule;

    protected RuleStateMachine(Rule rule) {
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }

    /** {@code <rule uid>/<name>}: the rule's own state in the shared operator. */
    protected final String stateName(String name) {
        return RuleCompiler.uid(rule) + "/" + name;
    }

    /** Creates the rule's state handles (called from the operator's {@code open}). */
    public abstract void open(RuntimeContext context) throws Exception;

    /** The key's events of this rule at {@code timestamp}, in arrival order, once the watermark has passed it. */
    public abstract void onEvents(long timestamp, List<RuleEvent> events, TimerService timers, Collector<Alert> out) throws Exception;

    /** The watermark passed {@code timestamp}, where this rule has no event for the key: a deadline it may have set. */
    public void onDeadline(long timestamp, TimerService timers, Collector<Alert> out) throws Exception {}
}
