package io.telemetrysuite.aggregate;

import io.telemetrysuite.model.Aggregate;

/**
 * The grouping key of a window, as one string: keyed state then hashes one value, and the raw-event
 * windows and the roll-ups of their results agree on the key by construction.
 */
public final class AggregateKey {
    /** Unit separator: cannot appear in service, span, route, tenant, host or model names in practice. */
    public static final char SEPARATOR = '\u001f';

    private AggregateKey() {}

    public static String of(String signal, String serviceName, String spanName, String route, String kind,
                            String tenant, String host, String model) {
        return String.join(String.valueOf(SEPARATOR), signal, serviceName, spanName, route, kind, tenant, host, model);
    }

    public static String of(Aggregate a) {
        return of(a.signal, a.serviceName, a.spanName, a.route, a.kind, a.tenant, a.host, a.model);
    }
}
