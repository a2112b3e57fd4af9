package io.telemetrysuite.ingest;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * The parse operator's counts: totals, and break-downs by dead-letter reason, by violated convention
 * rule and by signal of the valid items (before sampling). Break-down counters are registered the first time their key occurs,
 * so a new reason or rule needs no code here.
 */
public final class RecordCounters {
    public static final String DEAD_LETTER_PREFIX = "deadLettered.";
    public static final String VIOLATION_PREFIX = "violations.";
    public static final String VALID_PREFIX = "valid.";

    private final RuntimeContext context;
    public final PipelineCounter received;
    public final PipelineCounter accepted;
    public final PipelineCounter deadLettered;
    private final Map<String, PipelineCounter> byKey = new HashMap<>();

    public RecordCounters(RuntimeContext context) {
        this.context = context;
        this.received = PipelineCounter.register(context, PipelineCounter.RECEIVED);
        this.accepted = PipelineCounter.register(context, PipelineCounter.ACCEPTED);
        this.deadLettered = PipelineCounter.register(context, PipelineCounter.DEAD_LETTERED);
    }

    public void deadLettered(String reason) {
        deadLettered.inc();
        counter(DEAD_LETTER_PREFIX, reason).inc();
    }

    public void violation(String ruleId) {
        counter(VIOLATION_PREFIX, ruleId).inc();
    }

    /** Counts one valid item of a signal; {@code accepted} says whether it is final (no sampler after this operator). */
    public void valid(String signal, boolean accepted) {
        if (accepted) this.accepted.inc();
        counter(VALID_PREFIX, signal).inc();
    }

    private PipelineCounter counter(String prefix, String key) {
        return byKey.computeIfAbsent(prefix + key, name -> PipelineCounter.register(context, name));
    }
}
