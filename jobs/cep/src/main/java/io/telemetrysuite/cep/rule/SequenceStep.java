package io.telemetrysuite.cep.rule;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;

/** One step of a {@code sequence} rule: a match and an optional condition. */
public final class SequenceStep implements Serializable {
    private static final long serialVersionUID = 1L;

    public final EventMatch match;
    @Nullable public final Condition condition;

    public SequenceStep(EventMatch match, @Nullable Condition condition) {
        this.match = match;
        this.condition = condition;
    }

    public boolean accepts(Signal eventSignal, Object event) {
        return match.matches(eventSignal, event) && (condition == null || condition.test(eventSignal, event));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceStep s && match.equals(s.match) && Objects.equals(condition, s.condition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(match, condition);
    }
}
