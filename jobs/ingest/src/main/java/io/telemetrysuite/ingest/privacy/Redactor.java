package io.telemetrysuite.ingest.privacy;

import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a {@link PrivacyPolicy} to records in place, before anything leaves ingest: attribute rules
 * to item, resource, span-event and span-link attributes; field actions to the record fields of
 * {@link RecordField}; pattern masking to every other string value there; timestamp coarsening.
 * {@link #maskRaw(byte[])} masks the same patterns inside payloads that never parsed, for dead letters.
 *
 * <p>Not serializable and not thread-safe: it holds a {@link Mac} and reusable regex matchers. Build
 * one per Flink subtask in {@code open()} from the serializable policy; construction is cheap.
 */
public final class Redactor {
    /** What {@link PrivacyAction#MASK} leaves of a value. */
    public static final String MASKED = "<masked>";
    /** Prefix of hashed values, so a reader sees the value was hashed rather than a strange id. */
    public static final String HASH_PREFIX = "hmac:";
    private static final int HASH_BYTES = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Attribute keys are few (a few hundred per deployment); this bounds the cache against a key-per-request producer. */
    private static final int KEY_CACHE_LIMIT = 10_000;

    private final PatternMasker masker;
    private final Mac mac;
    private final NameGlob[] globs;
    private final PrivacyAction[] globActions;
    /** Keys with an action (exact names up front, glob matches as met), and keys known to have none. */
    private final Map<String, PrivacyAction> keyActions = new HashMap<>();
    private final Set<String> keysWithoutAction = new HashSet<>();
    /** By {@link RecordField} ordinal; null where the policy names no action. */
    private final PrivacyAction[] fieldActions = new PrivacyAction[RecordField.values().length];
    /** By {@link RecordKind} ordinal: nanoseconds for span, metric and log, milliseconds for the others; 0 for exact. */
    private final long[] coarsenUnit = new long[RecordKind.values().length];

    public Redactor(PrivacyPolicy policy) {
        this.masker = new PatternMasker(policy.patterns());
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(policy.hashKey(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
        List<PrivacyPolicy.AttributeRule> rules = policy.attributeRules();
        int globCount = 0;
        for (PrivacyPolicy.AttributeRule rule : rules) {
            if (NameGlob.isGlob(rule.name())) globCount++;
        }
        this.globs = new NameGlob[globCount];
        this.globActions = new PrivacyAction[globCount];
        int g = 0;
        for (PrivacyPolicy.AttributeRule rule : rules) {
            if (NameGlob.isGlob(rule.name())) {
                globs[g] = new NameGlob(rule.name());
                globActions[g++] = rule.action();
            } else {
                keyActions.put(rule.name(), rule.action());
            }
        }
        policy.fieldActions().forEach((field, action) -> fieldActions[field.ordinal()] = action);
        policy.coarsening().forEach((kind, unit) -> coarsenUnit[kind.ordinal()] = isNanoKind(kind) ? unit.toNanos() : unit.toMillis());
    }

    private static boolean isNanoKind(RecordKind kind) {
        return kind == RecordKind.SPAN || kind == RecordKind.METRIC || kind == RecordKind.LOG;
    }

    public void redact(Span span) {
        redactAttributes(span.attributes);
        redactAttributes(span.resourceAttributes);
        for (SpanEvent event : span.events) {
            event.name = scrub(event.name);
            redactAttributes(event.attributes);
        }
        for (SpanLink link : span.links) redactAttributes(link.attributes);
        applyField(span, RecordField.SPAN_NAME);
        applyField(span, RecordField.SPAN_STATUS_MESSAGE);
        long unit = coarsenUnit[RecordKind.SPAN.ordinal()];
        if (unit > 0 && span.startTimeUnixNano != 0) {
            // The span moves back as a whole, so its duration and its events' offsets stay exact.
            long shift = Math.floorMod(span.startTimeUnixNano, unit);
            span.startTimeUnixNano -= shift;
            if (span.endTimeUnixNano != 0) span.endTimeUnixNano -= shift;
            for (SpanEvent event : span.events) {
                if (event.timeUnixNano != 0) event.timeUnixNano -= shift;
            }
        }
    }

    public void redact(MetricPoint point) {
        redactAttributes(point.attributes);
        redactAttributes(point.resourceAttributes);
        long unit = coarsenUnit[RecordKind.METRIC.ordinal()];
        point.startTimeUnixNano = truncate(point.startTimeUnixNano, unit);
        point.timeUnixNano = truncate(point.timeUnixNano, unit);
    }

    public void redact(LogRecord log) {
        redactAttributes(log.attributes);
        redactAttributes(log.resourceAttributes);
        applyField(log, RecordField.LOG_BODY);
        long unit = coarsenUnit[RecordKind.LOG.ordinal()];
        log.timeUnixNano = truncate(log.timeUnixNano, unit);
        log.observedTimeUnixNano = truncate(log.observedTimeUnixNano, unit);
    }

    public void redact(WorkloadRecord record) {
        applyField(record, RecordField.WORKLOAD_TENANT);
        applyField(record, RecordField.WORKLOAD_USER);
        applyField(record, RecordField.WORKLOAD_REQUEST_ID);
        applyField(record, RecordField.WORKLOAD_ROUTE);
        applyField(record, RecordField.WORKLOAD_ERROR_MESSAGE);
        record.timestampMillis = truncate(record.timestampMillis, coarsenUnit[RecordKind.WORKLOAD.ordinal()]);
    }

    public void redact(InferenceSample sample) {
        applyField(sample, RecordField.INFERENCE_HOST);
        applyField(sample, RecordField.INFERENCE_TENANT);
        applyField(sample, RecordField.INFERENCE_REQUEST_ID);
        applyField(sample, RecordField.INFERENCE_ERROR_TYPE);
        sample.timestampMillis = truncate(sample.timestampMillis, coarsenUnit[RecordKind.INFERENCE.ordinal()]);
    }

    public void redact(SystemSample sample) {
        applyField(sample, RecordField.SYSTEM_HOST);
        sample.timestampMillis = truncate(sample.timestampMillis, coarsenUnit[RecordKind.SYSTEM.ordinal()]);
    }

    /**
     * Masks the patterns in a dead letter's payload and message: the message can quote the value
     * that broke a rule.
     */
    /** Redacts whichever event type {@code event} is; for code paths that hold items of several signals. */
    public void redactAny(Object event) {
        if (event instanceof Span span) redact(span);
        else if (event instanceof MetricPoint point) redact(point);
        else if (event instanceof LogRecord log) redact(log);
        else if (event instanceof WorkloadRecord workload) redact(workload);
        else if (event instanceof InferenceSample inference) redact(inference);
        else if (event instanceof SystemSample system) redact(system);
        else if (event instanceof DeadLetter deadLetter) redact(deadLetter);
        else throw new IllegalArgumentException("not an event type: " + event.getClass().getName());
    }

    public void redact(DeadLetter deadLetter) {
        deadLetter.raw = maskRaw(deadLetter.raw);
        deadLetter.message = scrub(deadLetter.message);
    }

    /** The value with the enabled patterns replaced by their tokens; the same instance when none occurs. */
    public String scrub(String value) {
        return value == null || value.isEmpty() ? value : masker.mask(value, false);
    }

    /**
     * The bytes with the enabled patterns masked, read as ISO-8859-1 so that every byte is one char and
     * UTF-8 sequences pass through untouched (the patterns are ASCII). Each match is overwritten by its
     * token padded with {@code *} to the match's own length ({@code <email>*********}): lengths and
     * offsets stay, so a protobuf payload keeps its framing and a JSON one stays JSON. Returns the
     * same array when nothing matched.
     */
    public byte[] maskRaw(byte[] raw) {
        if (raw == null || raw.length == 0) return raw;
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String masked = masker.mask(text, true);
        return masked == text ? raw : masked.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code hmac:} and the first 16 bytes of HMAC-SHA256(key, UTF-8 value) in hex: the same value
     * and key always give the same result, so hashed users still group. Empty stays empty.
     */
    public String hash(String value) {
        if (value == null || value.isEmpty()) return value;
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[HASH_PREFIX.length() + 2 * HASH_BYTES];
        HASH_PREFIX.getChars(0, HASH_PREFIX.length(), out, 0);
        for (int i = 0, o = HASH_PREFIX.length(); i < HASH_BYTES; i++) {
            out[o++] = HEX[(digest[i] >> 4) & 0xf];
            out[o++] = HEX[digest[i] & 0xf];
        }
        return new String(out);
    }

    private void redactAttributes(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) return;
        Iterator<Map.Entry<String, String>> it = attributes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> entry = it.next();
            PrivacyAction action = actionFor(entry.getKey());
            String value = entry.getValue();
            if (action == PrivacyAction.DROP) {
                it.remove();
                continue;
            }
            String redacted = action == null ? scrub(value) : apply(action, value);
            if (redacted != value) entry.setValue(redacted);
        }
    }

    /** The attribute rule's action for a key, or null: exact names first, then globs in file order. */
    private PrivacyAction actionFor(String key) {
        if (keysWithoutAction.contains(key)) return null;
        PrivacyAction action = keyActions.get(key);
        if (action != null) return action;
        for (int i = 0; i < globs.length; i++) {
            if (globs[i].matches(key)) {
                action = globActions[i];
                break;
            }
        }
        if (keyActions.size() + keysWithoutAction.size() < KEY_CACHE_LIMIT) {
            if (action != null) keyActions.put(key, action);
            else keysWithoutAction.add(key);
        }
        return action;
    }

    private void applyField(Object record, RecordField field) {
        String value = field.get(record);
        if (value == null || value.isEmpty()) return;
        PrivacyAction action = fieldActions[field.ordinal()];
        String redacted = action == null ? scrub(value) : action == PrivacyAction.DROP ? "" : apply(action, value);
        if (redacted != value) field.set(record, redacted);
    }

    private String apply(PrivacyAction action, String value) {
        switch (action) {
            case KEEP: return value;
            case MASK: return MASKED;
            case HASH: return hash(value);
            default: throw new IllegalArgumentException("not a value-replacing action: " + action);
        }
    }

    /** Zero means unset in the model and stays zero. */
    private static long truncate(long time, long unit) {
        return unit <= 0 || time == 0 ? time : time - Math.floorMod(time, unit);
    }
}
