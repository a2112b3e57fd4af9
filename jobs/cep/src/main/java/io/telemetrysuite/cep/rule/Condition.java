package io.telemetrysuite.cep.rule;

import java.io.Serializable;
import java.util.Objects;

/**
 * {@code {field: value, op: ">", value: 0.8}}: a comparison of one event field with a literal. The
 * literal is a {@link Double} for number fields, a {@link String} or {@link Boolean} otherwise; the
 * loader has checked that it fits the field's type and the operator.
 */
public final class Condition implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String field;
    public final Operator op;
    public final Object value;

    public Condition(String field, Operator op, Object value) {
        this.field = field;
        this.op = op;
        this.value = value;
    }

    /** Whether {@code event} (of {@code signal}) satisfies this condition; an event without the field does not. */
    public boolean test(Signal signal, Object event) {
        Object actual = EventFields.value(signal, event, field);
        if (actual == null) return false;
        if (actual instanceof Double d) return op.test(d, ((Number) value).doubleValue());
        return op.test(actual.toString(), value.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && field.equals(c.field) && op == c.op && Objects.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, op, value);
    }

    @Override
    public String toString() {
        return field + " " + op.symbol() + " " + value;
    }
}
