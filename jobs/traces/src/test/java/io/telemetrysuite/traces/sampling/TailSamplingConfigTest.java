package io.telemetrysuite.traces.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.model.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the Collector's {@code tail_sampling} configuration: the README's examples as they are
 * published, every processor setting, and the exact file:line:column:field of each refusal.
 */
class TailSamplingConfigTest {
    private static final Path RESOURCES = Path.of("src/test/resources/tail-sampling");

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("tail-sampling.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String refusal(String yaml) throws IOException {
        Path file = write(yaml);
        try {
            TailSamplingConfig.load(file);
        } catch (ConfigException e) {
            return e.getMessage().replace(file.toString(), "FILE");
        }
        throw new AssertionError("expected the file to be refused");
    }

    @Test
    void theReadmeExampleIsRefusedOnlyForItsOttlConditionPolicy() {
        Path file = RESOURCES.resolve("readme-example.yaml");
        assertThatThrownBy(() -> TailSamplingConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    assertThat(ce.getProblems()).hasSize(1);
                    assertThat(ce.getLine()).isEqualTo(67);
                    assertThat(ce.getColumn()).isEqualTo(21);
                    assertThat(ce.getField()).isEqualTo("processors.tail_sampling.policies[11].type");
                    assertThat(ce.getMessage()).startsWith(file + ":67:21: processors.tail_sampling.policies[11].type: "
                            + "policy type ottl_condition is not supported: this job does not evaluate OTTL");
                });
    }

    @Test
    void theReadmeExampleWithoutOttlLoadsWithEveryValue() {
        TailSamplingConfig cfg = TailSamplingConfig.load(RESOURCES.resolve("readme-example-without-ottl.yaml"));
        assertThat(cfg.decisionWait).isEqualTo(Duration.ofSeconds(10));
        assertThat(cfg.numTraces).isEqualTo(100);
        assertThat(cfg.expectedNewTracesPerSec).isEqualTo(10);
        assertThat(cfg.sampledCacheSize).isEqualTo(100_000);
        assertThat(cfg.nonSampledCacheSize).isEqualTo(100_000);
        assertThat(cfg.decisionWaitAfterRootReceived).isZero();
        assertThat(cfg.maximumTraceSizeBytes).isZero();
        assertThat(cfg.policies).extracting(NamedPolicy::name).containsExactly("test-policy-1", "test-policy-2",
                "test-policy-3", "test-policy-4", "test-policy-5", "test-policy-6", "test-policy-7", "test-policy-8",
                "test-policy-9", "test-policy-10", "test-policy-11", "and-policy-1", "drop-policy-1", "composite-policy-1");
        assertThat(cfg.policies).extracting(NamedPolicy::type).containsExactly("always_sample", "latency",
                "numeric_attribute", "probabilistic", "status_code", "string_attribute", "string_attribute",
                "rate_limiting", "span_count", "trace_state", "boolean_attribute", "and", "drop", "composite");
        assertThat(cfg.policies.get(12).policy()).isInstanceOf(DropPolicy.class);
        // The drop policy's regex (\/health) vetoes a trace that always_sample would keep.
        TraceDecider decider = cfg.decider();
        Span health = Traces.span();
        health.attributes.put("url.path", "/health");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(health), 0)).isEqualTo(SamplingDecision.drop("drop-policy-1"));
        assertThat(decider.decide(Traces.TRACE_ID, Traces.count(1), 0)).isEqualTo(SamplingDecision.keep("test-policy-1"));
    }

    @Test
    void theReadmeCompositeAllocatesFiftyAndTwentyFivePercent() {
        TailSamplingConfig cfg = TailSamplingConfig.load(RESOURCES.resolve("readme-example-without-ottl.yaml"));
        CompositePolicy composite = (CompositePolicy) cfg.policies.get(13).policy();
        TraceDecider only = new TailSamplingDecider(List.of(cfg.policies.get(13)), false);
        // test-composite-policy-1 (key1 >= 50) may keep 500 spans a second; test-composite-policy-3
        // (always_sample, not in rate_allocation) keeps nothing.
        int kept = 0;
        for (int i = 0; i < 600; i++) {
            if (only.decide(Traces.TRACE_ID, Traces.spanAttr("key1", "75"), 5_000).sampled()) kept++;
        }
        assertThat(kept).isEqualTo(500);
        assertThat(only.decide(Traces.TRACE_ID, Traces.count(1), 5_000).sampled()).isFalse();
        assertThat(composite).isNotNull();
    }

    @Test
    void thePracticalExampleIsRefusedForTheBlockOfAnotherTypeInRule7() {
        Path file = RESOURCES.resolve("readme-practical-example.yaml");
        assertThatThrownBy(() -> TailSamplingConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":193:35: tail_sampling.policies[6].drop.drop_sub_policy[0].string_attribute: "
                        + "settings for string_attribute in a policy of type boolean_attribute; remove them or change the type");
    }

    @Test
    void thePracticalExampleWithRule7FixedDecidesAsTheRulesSay() throws IOException {
        String fixed = Files.readString(RESOURCES.resolve("readme-practical-example.yaml"))
                .replace("string_attribute: { key: app.do_not_sample, value: true }",
                        "boolean_attribute: { key: app.do_not_sample, value: true }");
        TailSamplingConfig cfg = TailSamplingConfig.load(write(fixed));
        TraceDecider decider = cfg.decider();
        // Rule 1 keeps every service not in its (placeholder) list of services using tail sampling.
        Span teamB = Traces.span();
        teamB.resourceAttributes.put("service.name", "team-b-service");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(teamB), 0))
                .isEqualTo(SamplingDecision.keep("backwards-compatibility-policy"));
        // A service in that list is kept only by the team_a rules.
        Span listed = Traces.span();
        listed.resourceAttributes.put("service.name", "services");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(listed), 0)).isEqualTo(SamplingDecision.drop(""));
        listed.statusCode = "ERROR";
        assertThat(decider.decide(Traces.TRACE_ID, List.of(listed), 0)).isEqualTo(SamplingDecision.keep("team_a-status-policy"));
        listed.statusCode = "UNSET";
        listed.attributes.put("app.force_sample", "true");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(listed), 0)).isEqualTo(SamplingDecision.keep("team_a-force-sample"));
        listed.attributes.put("app.do_not_sample", "true");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(listed), 0)).isEqualTo(SamplingDecision.drop("do-not-sample"));
    }

    @Test
    void theProcessorsOwnMappingAndANamedProcessorBothLoad() throws IOException {
        TailSamplingConfig own = TailSamplingConfig.load(write(
                "decision_wait: 1m30s\n"
                        + "decision_wait_after_root_received: 500ms\n"
                        + "maximum_trace_size_bytes: 4_194_304\n"
                        + "sample_on_first_match: true\n"
                        + "sampling_strategy: trace-complete\n"
                        + "block_on_overflow: false\n"
                        + "drop_pending_traces_on_shutdown: false\n"
                        + "num_shards: 4\n"
                        + "policies:\n"
                        + "  - name: errors\n"
                        + "    type: status_code\n"
                        + "    status_code: {status_codes: [ERROR]}\n"));
        assertThat(own.decisionWait).isEqualTo(Duration.ofSeconds(90));
        assertThat(own.decisionWaitAfterRootReceived).isEqualTo(Duration.ofMillis(500));
        assertThat(own.maximumTraceSizeBytes).isEqualTo(4_194_304);
        assertThat(own.sampleOnFirstMatch).isTrue();
        assertThat(own.numTraces).isEqualTo(50_000);
        assertThat(own.sampledCacheSize).isZero();

        TailSamplingConfig named = TailSamplingConfig.load(write(
                "receivers:\n  otlp: {protocols: {grpc: {}}}\n"
                        + "processors:\n"
                        + "  batch: {}\n"
                        + "  tail_sampling/errors:\n"
                        + "    policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]\n"
                        + "service:\n  pipelines:\n    traces: {receivers: [otlp], processors: [tail_sampling/errors], exporters: [debug]}\n"));
        assertThat(named.policies).extracting(NamedPolicy::name).containsExactly("errors");
        assertThat(named.decisionWait).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(GoDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("2h45m0.5s")).isEqualTo(Duration.ofHours(2).plusMinutes(45).plusMillis(500));
        assertThat(GoDuration.parse("300us")).isEqualTo(Duration.ofNanos(300_000));
        assertThat(GoDuration.parse("300\u00b5s")).isEqualTo(Duration.ofNanos(300_000));
        assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse("30")).isNull();
        assertThat(GoDuration.parse("-5s")).isNull();
        assertThat(GoDuration.parse("5d")).isNull();
        assertThat(GoDuration.parse("1..5s")).isNull();
        assertThat(GoDuration.parse("s")).isNull();
    }

    @Test
    void unknownPolicyType() throws IOException {
        assertThat(refusal("policies:\n  - name: p\n    type: always_sampel\n"))
                .isEqualTo("FILE:3:11: policies[0].type: unknown policy type \"always_sampel\"; supported: always_sample, "
                        + "latency, numeric_attribute, probabilistic, status_code, string_attribute, rate_limiting, "
                        + "bytes_limiting, span_count, trace_state, boolean_attribute, trace_flags, and, not, drop, composite");
    }

    @Test
    void unknownFieldInAPolicyBlock() throws IOException {
        assertThat(refusal("policies:\n  - name: slow\n    type: latency\n    latency: {threshold_ms: 100, upper_treshold_ms: 200}\n"))
                .isEqualTo("FILE:4:34: policies[0].latency.upper_treshold_ms: unknown field \"upper_treshold_ms\", "
                        + "did you mean \"upper_threshold_ms\"?");
    }

    @Test
    void unknownProcessorField() throws IOException {
        assertThat(refusal("decision_wiat: 10s\npolicies: [{name: a, type: always_sample}]\n"))
                .isEqualTo("FILE:1:1: decision_wiat: unknown field \"decision_wiat\", did you mean \"decision_wait\"?");
    }

    @Test
    void ottlConditionIsRefusedWithAClearMessage() throws IOException {
        assertThat(refusal("policies:\n  - name: ottl\n    type: ottl_condition\n    ottl_condition: {span: ['name == \"x\"']}\n"))
                .isEqualTo("FILE:3:11: policies[0].type: policy type ottl_condition is not supported: this job does not "
                        + "evaluate OTTL; express the condition with string_attribute, numeric_attribute, "
                        + "boolean_attribute, status_code, and, not or drop");
    }

    @Test
    void durationsNeedAGoUnit() throws IOException {
        assertThat(refusal("decision_wait: 30\npolicies: [{name: a, type: always_sample}]\n"))
                .isEqualTo("FILE:1:16: decision_wait: expected a duration such as 10s, 100ms or 1m30s, got \"30\" "
                        + "(a bare number has no unit; the Collector would read it as nanoseconds)");
    }

    @Test
    void nestedCompositeIsRefusedAsInTheCollector() throws IOException {
        assertThat(refusal("policies:\n"
                + "  - name: c\n"
                + "    type: composite\n"
                + "    composite:\n"
                + "      max_total_spans_per_second: 10\n"
                + "      composite_sub_policy:\n"
                + "        - {name: inner, type: composite}\n"))
                .isEqualTo("FILE:7:31: policies[0].composite.composite_sub_policy[0].type: policy type composite cannot "
                        + "be used in composite_sub_policy (nor can it in the Collector); allowed here: always_sample, "
                        + "latency, numeric_attribute, probabilistic, status_code, string_attribute, rate_limiting, "
                        + "bytes_limiting, span_count, trace_state, boolean_attribute, trace_flags, and");
    }

    @Test
    void everyBrokenPolicyIsReportedAtOnce() throws IOException {
        String message = refusal("policies:\n"
                + "  - name: a\n"
                + "    type: status_code\n"
                + "    status_code: {status_codes: [ERR]}\n"
                + "  - name: a\n"
                + "    type: always_sample\n"
                + "  - name: n\n"
                + "    type: numeric_attribute\n"
                + "    numeric_attribute: {key: http.status_code}\n"
                + "  - name: r\n"
                + "    type: string_attribute\n"
                + "    string_attribute: {key: k, values: ['(unclosed'], enabled_regex_matching: true}\n");
        assertThat(message.split("\n")).containsExactly(
                "FILE:4:34: policies[0].status_code.status_codes[0]: unknown status code \"ERR\", supported: OK, ERROR, UNSET",
                "(4 problems in all; the others:)",
                "FILE:5:11: policies[1].name: duplicate policy name \"a\" (first at line 2, column 11)",
                "FILE:9:24: policies[2].numeric_attribute: numeric_attribute needs min_value or max_value "
                        + "(a 0 counts as not set, as in the Collector)",
                "FILE:12:41: policies[3].string_attribute.values[0]: invalid regular expression: Unclosed group");
    }

    @Test
    void missingKeyAndMissingPolicies() throws IOException {
        assertThat(refusal("policies:\n  - name: s\n    type: string_attribute\n"))
                .isEqualTo("FILE:2:5: policies[0].string_attribute.key: required field is missing");
        assertThat(refusal("decision_wait: 10s\n"))
                .isEqualTo("FILE:1:1: policies: required field is missing; the Collector requires policies");
        assertThat(refusal("policies: []\n")).isEqualTo("FILE:1:11: policies: at least one policy is required");
    }

    @Test
    void unsupportedProcessorOptionsAreRefusedOnlyWhenTurnedOn() throws IOException {
        assertThat(refusal("sampling_strategy: span-ingest\npolicies: [{name: a, type: always_sample}]\n"))
                .startsWith("FILE:1:20: sampling_strategy: sampling_strategy span-ingest is not supported");
        assertThat(refusal("block_on_overflow: true\npolicies: [{name: a, type: always_sample}]\n"))
                .startsWith("FILE:1:20: block_on_overflow: block_on_overflow: true is not supported");
        assertThat(refusal("tail_storage: pebble\npolicies: [{name: a, type: always_sample}]\n"))
                .startsWith("FILE:1:15: tail_storage: tail_storage is not supported");
    }

    @Test
    void aCollectorConfigWithoutTailSamplingOrWithTwo() throws IOException {
        assertThat(refusal("processors:\n  batch: {}\n"))
                .isEqualTo("FILE:2:3: processors: no tail_sampling processor here; expected a key tail_sampling or tail_sampling/NAME");
        assertThat(refusal("processors:\n  tail_sampling/a: {}\n  tail_sampling/b: {}\n"))
                .isEqualTo("FILE:2:3: processors: several tail_sampling processors (tail_sampling/a, tail_sampling/b); "
                        + "give this job a file with one");
    }

    @Test
    void invertModePlainMakesInvertMatchAnOrdinaryVote() throws IOException {
        String yaml = "policies:\n"
                + "  - {name: not-acme, type: string_attribute, string_attribute: {key: tenant, values: [acme], invert_match: true}}\n"
                + "  - {name: everything, type: always_sample}\n";
        Span acme = Traces.span();
        acme.attributes.put("tenant", "acme");
        TraceDecider classic = TailSamplingConfig.load(write(yaml)).decider();
        TraceDecider plain = TailSamplingConfig.load(write(yaml), InvertMode.PLAIN).decider();
        // Classic: the inverted not-sample vetoes always_sample. Plain: it is one not-sample among others.
        assertThat(classic.decide(Traces.TRACE_ID, List.of(acme), 0)).isEqualTo(SamplingDecision.drop(""));
        assertThat(plain.decide(Traces.TRACE_ID, List.of(acme), 0)).isEqualTo(SamplingDecision.keep("everything"));
        assertThat(classic.decide(Traces.TRACE_ID, Traces.count(1), 0)).isEqualTo(SamplingDecision.keep("everything"));
    }

    @Test
    void theDeployedConfigLoads() {
        TailSamplingConfig cfg = TailSamplingConfig.load(Path.of("../../deploy/config/tail-sampling.yaml"));
        assertThat(cfg.policies).extracting(NamedPolicy::name)
                .containsExactly("errors", "slow", "checkout-and-login", "baseline", "drop-probes");
        assertThat(cfg.decisionWaitAfterRootReceived).isEqualTo(Duration.ofSeconds(2));
        TraceDecider decider = cfg.decider();
        Span error = Traces.span();
        error.statusCode = "ERROR";
        assertThat(decider.decide(Traces.TRACE_ID, List.of(error), 0).sampled()).isTrue();
        Span health = Traces.span();
        health.statusCode = "ERROR";
        health.attributes.put("url.path", "/healthz");
        assertThat(decider.decide(Traces.TRACE_ID, List.of(health), 0).sampled()).isFalse();
    }
}
