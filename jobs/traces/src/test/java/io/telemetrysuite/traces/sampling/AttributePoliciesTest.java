package io.telemetrysuite.traces.sampling;

import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.INVERT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.NOT_SAMPLED;
import static io.telemetrysuite.traces.sampling.PolicyDecision.SAMPLED;
import static io.telemetrysuite.traces.sampling.Traces.data;
import static io.telemetrysuite.traces.sampling.Traces.resourceAttr;
import static io.telemetrysuite.traces.sampling.Traces.spanAttr;
import static io.telemetrysuite.traces.sampling.Traces.withAttrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Collector's cases for the attribute policies ({@code numeric_tag_filter_test.go}, {@code
 * string_tag_filter_test.go}, {@code boolean_tag_filter_test.go}) as facts: trace in, vote out.
 */
class AttributePoliciesTest {
    private static final String MIN32 = Long.toString(Integer.MIN_VALUE);
    private static final String MAX32 = Long.toString(Integer.MAX_VALUE);
    private static final String BELOW = Long.toString(Integer.MIN_VALUE - 1L);
    private static final String ABOVE = Long.toString(Integer.MAX_VALUE + 1L);

    // ---- numeric_attribute ----

    @Test
    void numericInRangeOnSpanOrResourceIsSampled() {
        NumericAttributePolicy p = new NumericAttributePolicy("example", (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, false);
        assertThat(p.evaluate(data(spanAttr("non_matching", MIN32)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", MIN32)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", MIN32), "non_matching", MIN32)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", MAX32)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", MAX32), "non_matching", MAX32)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", BELOW)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", BELOW), "non_matching", MIN32)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", ABOVE)))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", ABOVE), "non_matching", MAX32)))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void numericInvertMatchVotesInverted() {
        NumericAttributePolicy p = new NumericAttributePolicy("example", (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, true);
        assertThat(p.evaluate(data(spanAttr("non_matching", MIN32)))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", MIN32)))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", MIN32), "non_matching", MIN32)))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", MAX32)))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", MAX32), "non_matching", MAX32)))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", BELOW)))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", BELOW), "non_matching", MIN32)))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", ABOVE)))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(withAttrs(Map.of("example", ABOVE), "non_matching", ABOVE)))).isEqualTo(INVERT_SAMPLED);
    }

    @Test
    void numericInvertMatchWithTheDisableInvertDecisionsGateVotesPlain() {
        NumericAttributePolicy p = new NumericAttributePolicy("example", (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, true, true);
        assertThat(p.evaluate(data(spanAttr("non_matching", MIN32)))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", MIN32)))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void numericOptionalBounds() {
        assertThat(new NumericAttributePolicy("example", 100L, null, false).evaluate(data(spanAttr("example", "200")))).isEqualTo(SAMPLED);
        assertThat(new NumericAttributePolicy("example", 100L, null, false).evaluate(data(spanAttr("example", "50")))).isEqualTo(NOT_SAMPLED);
        assertThat(new NumericAttributePolicy("example", null, 100L, false).evaluate(data(spanAttr("example", "50")))).isEqualTo(SAMPLED);
        assertThat(new NumericAttributePolicy("example", null, 100L, false).evaluate(data(spanAttr("example", "200")))).isEqualTo(NOT_SAMPLED);
        assertThat(new NumericAttributePolicy("example", 100L, 200L, false).evaluate(data(spanAttr("example", "150")))).isEqualTo(SAMPLED);
        assertThat(new NumericAttributePolicy("example", 100L, 200L, false).evaluate(data(spanAttr("example", "50")))).isEqualTo(NOT_SAMPLED);
        assertThat(new NumericAttributePolicy("example", 100L, null, true, true).evaluate(data(spanAttr("example", "200")))).isEqualTo(NOT_SAMPLED);
        assertThat(new NumericAttributePolicy("example", null, 100L, true, true).evaluate(data(spanAttr("example", "50")))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void numericReadsNonIntegerValuesAsZeroAsPcommonIntDoes() {
        NumericAttributePolicy around0 = new NumericAttributePolicy("v", -1L, 1L, false);
        NumericAttributePolicy at500 = new NumericAttributePolicy("v", 500L, 500L, false);
        // A double rendered by AnyValues (500.0), a string and a boolean all read as 0.
        assertThat(at500.evaluate(data(spanAttr("v", "500.0")))).isEqualTo(NOT_SAMPLED);
        assertThat(around0.evaluate(data(spanAttr("v", "500.0")))).isEqualTo(SAMPLED);
        assertThat(around0.evaluate(data(spanAttr("v", "fast")))).isEqualTo(SAMPLED);
        assertThat(around0.evaluate(data(spanAttr("v", "true")))).isEqualTo(SAMPLED);
        assertThat(at500.evaluate(data(spanAttr("v", "500")))).isEqualTo(SAMPLED);
        assertThat(NumericAttributePolicy.asInt("-42")).isEqualTo(-42);
        assertThat(NumericAttributePolicy.asInt("1e3")).isZero();
        assertThat(NumericAttributePolicy.asInt("99999999999999999999")).isZero();
    }

    // ---- string_attribute ----

    private static StringAttributePolicy string(List<String> values, boolean regex, boolean invert) {
        List<Pattern> patterns = regex ? values.stream().map(Pattern::compile).collect(Collectors.toList()) : null;
        return new StringAttributePolicy("example", values, patterns, 128, invert);
    }

    @Test
    void stringExactAndRegexMatching() {
        List<String> value = List.of("value");
        assertThat(string(value, false, false).evaluate(data(resourceAttr("non_matching", "value")))).isEqualTo(NOT_SAMPLED);
        assertThat(string(value, false, false).evaluate(data(resourceAttr("example", "non_matching")))).isEqualTo(NOT_SAMPLED);
        assertThat(string(value, false, false).evaluate(data(resourceAttr("example", "value")))).isEqualTo(SAMPLED);
        assertThat(string(value, false, false).evaluate(data(spanAttr("nonmatching", "value")))).isEqualTo(NOT_SAMPLED);
        assertThat(string(value, false, false).evaluate(data(spanAttr("example", "nonmatching")))).isEqualTo(NOT_SAMPLED);
        assertThat(string(value, false, false).evaluate(data(spanAttr("example", "value")))).isEqualTo(SAMPLED);
        String health = "grpc.health.v1.HealthCheck";
        assertThat(string(List.of("v[0-9]+.HealthCheck$"), true, false).evaluate(data(spanAttr("example", health)))).isEqualTo(SAMPLED);
        assertThat(string(List.of("v[a-z]+.HealthCheck$"), true, false).evaluate(data(spanAttr("example", health)))).isEqualTo(NOT_SAMPLED);
        assertThat(new StringAttributePolicy("example", List.of("v[0-9]+.HealthCheck$"), List.of(Pattern.compile("v[0-9]+.HealthCheck$")), 0, false)
                .evaluate(data(spanAttr("example", health)))).isEqualTo(SAMPLED);
        assertThat(string(value, true, false).evaluate(data(resourceAttr("example", "value")))).isEqualTo(SAMPLED);
        assertThat(string(List.of(), true, false).evaluate(data(spanAttr("example", health)))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void stringInvertMatch() {
        List<String> value = List.of("value");
        List<String> list = List.of("first_value", "value", "last_value");
        String health = "grpc.health.v1.HealthCheck";
        assertThat(string(value, false, true).evaluate(data(resourceAttr("non_matching", "value")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(value, false, true).evaluate(data(resourceAttr("example", "non_matching")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(list, false, true).evaluate(data(resourceAttr("example", "non_matching")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(value, false, true).evaluate(data(resourceAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(list, false, true).evaluate(data(resourceAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(value, false, true).evaluate(data(spanAttr("nonmatching", "value")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(value, false, true).evaluate(data(spanAttr("example", "nonmatching")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(list, false, true).evaluate(data(spanAttr("example", "nonmatching")))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(value, false, true).evaluate(data(spanAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(list, false, true).evaluate(data(spanAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(List.of("v[0-9]+.HealthCheck$"), true, true).evaluate(data(spanAttr("example", health)))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(List.of("^http", "v[0-9]+.HealthCheck$", "metrics$"), true, true).evaluate(data(spanAttr("example", health))))
                .isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(List.of("v[a-z]+.HealthCheck$"), true, true).evaluate(data(spanAttr("example", health)))).isEqualTo(INVERT_SAMPLED);
        assertThat(string(List.of("^http", "v[a-z]+.HealthCheck$", "metrics$"), true, true).evaluate(data(spanAttr("example", health))))
                .isEqualTo(INVERT_SAMPLED);
        assertThat(string(value, true, true).evaluate(data(resourceAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(list, true, true).evaluate(data(resourceAttr("example", "value")))).isEqualTo(INVERT_NOT_SAMPLED);
        assertThat(string(List.of(), true, true).evaluate(data(spanAttr("example", health)))).isEqualTo(INVERT_SAMPLED);
    }

    @Test
    void stringSkipsEmptySpanValuesButNotEmptyResourceValues() {
        StringAttributePolicy anything = string(List.of(".*"), true, false);
        assertThat(anything.evaluate(data(spanAttr("example", "")))).isEqualTo(NOT_SAMPLED);
        assertThat(anything.evaluate(data(resourceAttr("example", "")))).isEqualTo(SAMPLED);
    }

    @Test
    void stringRegexCacheKeepsAnswersRight() {
        StringAttributePolicy p = new StringAttributePolicy("example", List.of("^a"), List.of(Pattern.compile("^a")), 2, false);
        for (int round = 0; round < 3; round++) {
            for (String v : List.of("abc", "xbc", "ayz", "xyz")) {
                assertThat(p.evaluate(data(spanAttr("example", v)))).isEqualTo(v.startsWith("a") ? SAMPLED : NOT_SAMPLED);
            }
        }
    }

    // ---- boolean_attribute ----

    @Test
    void booleanMatching() {
        BooleanAttributePolicy p = new BooleanAttributePolicy("example", true, false);
        assertThat(p.evaluate(data(spanAttr("non_matching", "true")))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", "false")))).isEqualTo(NOT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", "true")))).isEqualTo(SAMPLED);
        assertThat(p.evaluate(data(resourceAttr("example", "true")))).isEqualTo(SAMPLED);
    }

    @Test
    void booleanInvertMatch() {
        BooleanAttributePolicy p = new BooleanAttributePolicy("example", true, true);
        assertThat(p.evaluate(data(spanAttr("non_matching", "true")))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", "false")))).isEqualTo(INVERT_SAMPLED);
        assertThat(p.evaluate(data(spanAttr("example", "true")))).isEqualTo(INVERT_NOT_SAMPLED);
        BooleanAttributePolicy plain = new BooleanAttributePolicy("example", true, true, true);
        assertThat(plain.evaluate(data(spanAttr("example", "false")))).isEqualTo(SAMPLED);
        assertThat(plain.evaluate(data(spanAttr("example", "true")))).isEqualTo(NOT_SAMPLED);
    }

    @Test
    void booleanReadsAnythingButTrueAsFalse() {
        BooleanAttributePolicy wantsFalse = new BooleanAttributePolicy("example", false, false);
        assertThat(wantsFalse.evaluate(data(spanAttr("example", "1")))).isEqualTo(SAMPLED);
        assertThat(wantsFalse.evaluate(data(spanAttr("example", "True")))).isEqualTo(SAMPLED);
        assertThat(wantsFalse.evaluate(data(spanAttr("example", "true")))).isEqualTo(NOT_SAMPLED);
    }
}
