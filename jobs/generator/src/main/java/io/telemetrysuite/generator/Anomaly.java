package io.telemetrysuite.generator;

import java.util.Objects;

/** One scheduled occurrence of an injected anomaly, in absolute event time [start, end). */
public final class Anomaly {
    public final AnomalyKind kind;
    public final String target;
    public final long startMillis;
    public final long endMillis;
    public final double magnitude;

    public Anomaly(AnomalyKind kind, String target, long startMillis, long endMillis, double magnitude) {
        this.kind = kind;
        this.target = target;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.magnitude = magnitude;
    }

    public boolean covers(long timeMillis) {
        return timeMillis >= startMillis && timeMillis < endMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Anomaly)) return false;
        Anomaly a = (Anomaly) o;
        return kind == a.kind && startMillis == a.startMillis && endMillis == a.endMillis
                && Double.compare(magnitude, a.magnitude) == 0 && Objects.equals(target, a.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, target, startMillis);
    }

    @Override
    public String toString() {
        return "Anomaly{" + kind + " " + target + " [" + startMillis + ", " + endMillis + ") x" + magnitude + "}";
    }
}
