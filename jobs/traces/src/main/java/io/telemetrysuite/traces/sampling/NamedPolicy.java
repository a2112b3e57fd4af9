package io.telemetrysuite.traces.sampling;

import java.io.Serializable;

/** A top-level entry of {@code policies}: its {@code name}, its {@code type} and the policy built from it. */
public record NamedPolicy(String name, String type, TracePolicy policy) implements Serializable {
    public boolean isDrop() {
        return "drop".equals(type);
    }

    NamedPolicy fresh() {
        return new NamedPolicy(name, type, policy.fresh());
    }
}
