package io.telemetrysuite.cep.compile;

import io.telemetrysuite.cep.rule.Rule;

/** {@code threshold}: the rule's condition, judged in {@link RuleSelector}, held for {@code for}. */
public final class ThresholdFunction extends HeldConditionFunction {
    private static final long serialVersionUID = 1L;

    public ThresholdFunction(Rule rule) {
        super(rule);
    }

    @Override
    protected boolean holds(RuleEvent event) {
        return event.has(RuleEvent.HOLDS);
    }

    @Override
    protected String summary(Hold hold, RuleEvent event) {
        return rule.condition + " held from " + hold.since + " to " + event.timestamp + " (for " + rule.forDuration + "), now "
                + Alerts.number(event.value);
    }
}
