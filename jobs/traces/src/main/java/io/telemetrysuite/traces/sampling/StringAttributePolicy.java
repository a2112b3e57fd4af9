package io.telemetrysuite.traces.sampling;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code string_attribute}: keeps a trace where a span or its resource has the attribute {@code key}
 * equal to one of {@code values} (or, with {@code enabled_regex_matching}, matching one of them as a
 * regular expression anywhere in the value, as Go's {@code MatchString} does); with {@code
 * invert_match}, votes {@link PolicyDecision#INVERT_SAMPLED} when nothing matches and
 * {@link PolicyDecision#INVERT_NOT_SAMPLED} when something does.
 *
 * <p>Ported details: empty strings in {@code values} are ignored for exact matching; a span attribute
 * whose value is the empty string is never checked (a resource attribute is); regex results are kept
 * in an LRU cache of {@code cache_max_size} entries (128 when unset). Go's RE2 syntax is mostly
 * Java's; patterns are compiled at load time, so one Java does not accept is refused there.
 *
 * <p>Non-string attributes arrive as strings here, so an integer attribute 200 matches the value
 * {@code "200"}; in the Collector a non-string attribute reads as the empty string and never matches.
 */
public final class StringAttributePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;
    static final int DEFAULT_CACHE_SIZE = 128;

    private final String key;
    private final Set<String> exactValues;
    private final List<Pattern> patterns;
    private final int cacheMaxSize;
    private final boolean invertMatch;
    private final boolean plainInvert;
    private transient Map<String, Boolean> regexCache;

    /** @param patterns null for exact matching on {@code values}; otherwise the compiled {@code values} */
    public StringAttributePolicy(String key, List<String> values, List<Pattern> patterns, int cacheMaxSize,
            boolean invertMatch) {
        this(key, values, patterns, cacheMaxSize, invertMatch, false);
    }

    /** @param plainInvert invert_match votes plain SAMPLED/NOT_SAMPLED (see {@link InvertMode}) */
    public StringAttributePolicy(String key, List<String> values, List<Pattern> patterns, int cacheMaxSize,
            boolean invertMatch, boolean plainInvert) {
        this.key = key;
        this.patterns = patterns == null ? null : List.copyOf(patterns);
        Set<String> exact = new HashSet<>();
        for (String v : values) {
            if (!v.isEmpty()) exact.add(v);
        }
        this.exactValues = exact;
        this.cacheMaxSize = cacheMaxSize <= 0 ? DEFAULT_CACHE_SIZE : cacheMaxSize;
        this.invertMatch = invertMatch;
        this.plainInvert = plainInvert;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        if (invertMatch) {
            return SpanMatch.everyResourceAndSpan(trace, plainInvert,
                    resource -> {
                        String v = resource.get(key);
                        return v == null || !matches(v);
                    },
                    span -> {
                        String v = span.attributes.get(key);
                        return v == null || v.isEmpty() || !matches(v);
                    });
        }
        return SpanMatch.anyResourceOrSpan(trace,
                resource -> {
                    String v = resource.get(key);
                    return v != null && matches(v);
                },
                span -> {
                    String v = span.attributes.get(key);
                    return v != null && !v.isEmpty() && matches(v);
                });
    }

    private boolean matches(String value) {
        if (patterns == null) return exactValues.contains(value);
        Map<String, Boolean> cache = cache();
        Boolean cached = cache.get(value);
        if (cached != null) return cached;
        boolean matched = false;
        for (Pattern p : patterns) {
            if (p.matcher(value).find()) {
                matched = true;
                break;
            }
        }
        cache.put(value, matched);
        return matched;
    }

    private Map<String, Boolean> cache() {
        if (regexCache == null) {
            int limit = cacheMaxSize;
            regexCache = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > limit;
                }
            };
        }
        return regexCache;
    }

    @Override
    public TracePolicy fresh() {
        // The regex cache is per instance and not thread-safe: every decider gets its own.
        return new StringAttributePolicy(key, List.copyOf(exactValues), patterns, cacheMaxSize, invertMatch, plainInvert);
    }
}
