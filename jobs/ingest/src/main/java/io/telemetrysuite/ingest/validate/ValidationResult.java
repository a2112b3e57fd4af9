package io.telemetrysuite.ingest.validate;

import java.util.List;

/**
 * What {@link ConventionValidator#validate} found in one item: the rules it broke, in registry order
 * (the value-length limit last), each with its dead-letter reason code and whether it rejects; and,
 * when any does, the reason and message for the item's dead letter, taken from the first rejecting
 * violation.
 *
 * <p>The validator reuses one instance for every item, so read it before the next {@code validate}
 * call. {@link #ruleIndex(int)} indexes {@link ConventionValidator#ruleIds()}, so a caller can keep one
 * counter per rule in an array.
 */
public final class ValidationResult {
    private final List<String> ruleIds;
    private final int[] ruleIndexes;
    private final String[] reasons;
    private final boolean[] rejecting;
    private int count;
    private String rejectReason;
    private String rejectMessage;

    ValidationResult(List<String> ruleIds) {
        this.ruleIds = ruleIds;
        // Each rule (and the limit) is violated at most once per item, so this never needs to grow.
        this.ruleIndexes = new int[ruleIds.size()];
        this.reasons = new String[ruleIds.size()];
        this.rejecting = new boolean[ruleIds.size()];
    }

    void clear() {
        count = 0;
        rejectReason = null;
        rejectMessage = null;
    }

    void add(int ruleIndex, String reason, boolean rejects) {
        ruleIndexes[count] = ruleIndex;
        reasons[count] = reason;
        rejecting[count] = rejects;
        count++;
    }

    boolean hasRejection() {
        return rejectReason != null;
    }

    void reject(String reason, String message) {
        rejectReason = reason;
        rejectMessage = message;
    }

    /** Whether the item broke no rule at all. */
    public boolean isValid() {
        return count == 0;
    }

    public int violationCount() {
        return count;
    }

    /** The index in {@link ConventionValidator#ruleIds()} of the {@code i}-th violation's rule. */
    public int ruleIndex(int i) {
        checkIndex(i);
        return ruleIndexes[i];
    }

    public String ruleId(int i) {
        checkIndex(i);
        return ruleIds.get(ruleIndexes[i]);
    }

    /** The {@link io.telemetrysuite.model.DeadLetterReason} code describing the {@code i}-th violation. */
    public String reason(int i) {
        checkIndex(i);
        return reasons[i];
    }

    /** Whether the {@code i}-th violation's policy is reject. */
    public boolean isRejecting(int i) {
        checkIndex(i);
        return rejecting[i];
    }

    /** Whether the item must go to the dead-letter stream. */
    public boolean isRejected() {
        return rejectReason != null;
    }

    /** The dead-letter reason of the first rejecting violation, or null. */
    public String rejectReason() {
        return rejectReason;
    }

    /** What the first rejecting violation was, for the dead letter ({@code rule service.name: required resource attribute service.name is missing}), or null. */
    public String rejectMessage() {
        return rejectMessage;
    }

    /** Appends the ids of the violations that only tag, for the item's {@code violations} list. */
    public void addTaggedRuleIdsTo(List<String> violations) {
        for (int i = 0; i < count; i++) {
            if (!rejecting[i]) violations.add(ruleIds.get(ruleIndexes[i]));
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("violation " + i + " of " + count);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ValidationResult{");
        for (int i = 0; i < count; i++) {
            if (i > 0) sb.append(", ");
            sb.append(ruleIds.get(ruleIndexes[i])).append('=').append(reasons[i]).append(rejecting[i] ? "/reject" : "/tag");
        }
        return sb.append(rejectMessage != null ? "; " + rejectMessage : "").append('}').toString();
    }
}
