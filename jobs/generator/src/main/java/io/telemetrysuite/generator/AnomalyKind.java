package io.telemetrysuite.generator;

/** The incidents the workload injects on a schedule, for the detection (CEP) job to find. */
public enum AnomalyKind {
    /** One host's CPU stays above 90% (target: host name; magnitude: CPU level 0..1). */
    CPU_PLATEAU,
    /** One service fails every call with 503 (target: service name). */
    ERROR_BURST,
    /** One host stops sending system samples and host metrics (target: host name). */
    HEARTBEAT_STOP,
    /** One route gets slower (target: http.route; magnitude: latency factor). */
    LATENCY_SHIFT,
    /**
     * One user fails to log in several times, then succeeds from an IP address not seen before
     * (target: the user's e-mail; magnitude: number of failures).
     */
    FAILED_LOGINS,
    /** One host's memory use stays high, as with a leak or an oversized cache (target: host name; magnitude: used share 0..1). */
    MEMORY_PRESSURE
}
