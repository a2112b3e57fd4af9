package io.telemetrysuite.cep.rule;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * A rule's {@code match}: the event type ({@code signal}) plus equality on named fields
 * ({@code name: system.cpu.utilization}, {@code status: error}) and on attributes
 * ({@code attributes: {service.name: payment}}, looked up as {@link EventFields#attribute} does).
 * Field values are kept as written; numbers compare numerically.
 */
public final class EventMatch implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Signal signal;
    /** Field name to expected value, in file order. */
    public final Map<String, String> fields;
    /** Attribute name to expected value, in file order. */
    public final Map<String, String> attributes;

    public EventMatch(Signal signal, Map<String, String> fields, Map<String, String> attributes) {
        this.signal = signal;
        this.fields = fields;
        this.attributes = attributes;
    }

    /** Whether {@code event}, of type {@code eventSignal}, is one this match selects. */
    public boolean matches(Signal eventSignal, Object event) {
        if (eventSignal != signal) return false;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            Object actual = EventFields.value(signal, event, f.getKey());
            if (actual == null) return false;
            if (actual instanceof Double d) {
                if (d != Double.parseDouble(f.getValue())) return false;
            } else if (!actual.toString().equals(f.getValue())) {
                return false;
            }
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (!a.getValue().equals(EventFields.attribute(signal, event, a.getKey()))) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventMatch m && signal == m.signal && fields.equals(m.fields) && attributes.equals(m.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(signal, fields, attributes);
    }

    @Override
    public String toString() {
        return signal.yamlName() + fields + (attributes.isEmpty() ? "" : " attributes" + attributes);
    }
}
