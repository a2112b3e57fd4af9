package io.telemetrysuite.ingest.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.YamlConfig;
import io.telemetrysuite.model.DeadLetterReason;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConventionValidatorTest {
    private static final List<KeyValue> RESOURCE = List.of(str("service.name", "checkout"), str("telemetry.sdk.language", "java"));

    private final ConventionValidator shipped = new ConventionValidator(ConventionRegistry.loadDefault());

    static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static ConventionRegistry registry(String yaml) {
        return ConventionRegistry.fromConfig(YamlConfig.parse("registry.yaml", yaml));
    }

    @Test
    void shippedRegistryLoadsAndIsTheFileInDeployConfig() throws Exception {
        ConventionRegistry registry = ConventionRegistry.loadDefault();
        Path deployed = Path.of("../../deploy/config/semconv-registry.yaml");

        assertThat(registry.maxAttributeValueLength()).isEqualTo(16384);
        assertThat(registry.onOversizedValue()).isEqualTo(ConventionRule.OnViolation.REJECT);
        assertThat(registry.rules()).extracting(ConventionRule::id).contains("service.name", "http.request.method",
                "http.response.status_code", "http.route", "url.full", "url.path", "server.address", "server.port",
                "db.system.name", "db.system", "rpc.system", "messaging.system", "error.type", "gen_ai.request.model",
                "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "exception.type", "telemetry.sdk.language");
        assertThat(registry.rules()).filteredOn(r -> r.onViolation() == ConventionRule.OnViolation.REJECT)
                .extracting(ConventionRule::id).containsExactly("service.name");
        try (InputStream bundled = ConventionRegistry.class.getClassLoader().getResourceAsStream(ConventionRegistry.DEFAULT_RESOURCE)) {
            assertThat(bundled.readAllBytes()).isEqualTo(Files.readAllBytes(deployed));
        }
        assertThat(ConventionRegistry.load(deployed).rules()).hasSameSizeAs(registry.rules());
    }

    @Test
    void missingServiceNameIsRejectedAsMissingRequiredAttribute() {
        ValidationResult result = shipped.validate(Signal.SPAN, List.of(str("http.route", "/cart")), List.of(), "INTERNAL");

        assertThat(result.isRejected()).isTrue();
        assertThat(result.rejectReason()).isEqualTo(DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE);
        assertThat(result.rejectMessage()).isEqualTo("rule service.name: required resource attribute service.name is missing");
        assertThat(result.ruleId(0)).isEqualTo("service.name");
        assertThat(result.isRejecting(0)).isTrue();
        // The recommended SDK language is missing too, and only tags.
        assertThat(result.ruleId(1)).isEqualTo("telemetry.sdk.language");
        assertThat(result.isRejecting(1)).isFalse();
    }

    @Test
    void emptyServiceNameCountsAsMissing() {
        ValidationResult result = shipped.validate(Signal.METRIC, List.of(), List.of(str("service.name", "")), null);

        assertThat(result.rejectMessage()).isEqualTo("rule service.name: required resource attribute service.name is empty");
    }

    @Test
    void validItemHasNoViolations() {
        ValidationResult result = shipped.validate(Signal.SPAN, List.of(str("http.request.method", "GET"),
                integer("http.response.status_code", 200), str("url.path", "/cart"), str("http.route", "/cart")), RESOURCE, "SERVER");

        assertThat(result.isValid()).isTrue();
        assertThat(result.isRejected()).isFalse();
        assertThat(result.rejectReason()).isNull();
    }

    @Test
    void nonIntStatusCodeIsTaggedAsInvalidType() {
        ValidationResult result = shipped.validate(Signal.SPAN,
                List.of(str("http.request.method", "GET"), str("http.response.status_code", "200")), RESOURCE, "INTERNAL");

        assertThat(result.violationCount()).isEqualTo(1);
        assertThat(result.ruleId(0)).isEqualTo("http.response.status_code");
        assertThat(result.reason(0)).isEqualTo(DeadLetterReason.INVALID_ATTRIBUTE_TYPE);
        assertThat(result.isRejected()).isFalse();
        List<String> violations = new ArrayList<>();
        result.addTaggedRuleIdsTo(violations);
        assertThat(violations).containsExactly("http.response.status_code");
    }

    @Test
    void nonIntStatusCodeIsRejectedWhenTheRuleSaysSo() {
        ConventionValidator validator = new ConventionValidator(registry(String.join("\n",
                "maxAttributeValueLength: 1024",
                "rules:",
                "  - id: http.response.status_code",
                "    signal: [span, metric]",
                "    type: int",
                "    onViolation: reject", "")));

        ValidationResult result = validator.validate(Signal.METRIC, List.of(str("http.response.status_code", "200")), RESOURCE, null);

        assertThat(result.rejectReason()).isEqualTo(DeadLetterReason.INVALID_ATTRIBUTE_TYPE);
        assertThat(result.rejectMessage()).isEqualTo(
                "rule http.response.status_code: attribute http.response.status_code must be int, got string \"200\"");
        List<String> violations = new ArrayList<>();
        result.addTaggedRuleIdsTo(violations);
        assertThat(violations).isEmpty();
    }

    @Test
    void methodOutsideTheAllowedListIsTaggedAsInvalidValue() {
        ValidationResult result = shipped.validate(Signal.SPAN, List.of(str("http.request.method", "FETCH")), RESOURCE, "INTERNAL");

        assertThat(result.violationCount()).isEqualTo(1);
        assertThat(result.ruleId(0)).isEqualTo("http.request.method");
        assertThat(result.reason(0)).isEqualTo(DeadLetterReason.INVALID_ATTRIBUTE_VALUE);
        assertThat(result.isRejecting(0)).isFalse();
        assertThat(result.isRejected()).isFalse();
    }

    @Test
    void allowedValueAndMaxLengthRejectionsNameTheValue() {
        ConventionValidator validator = new ConventionValidator(registry(String.join("\n",
                "maxAttributeValueLength: 1024",
                "rules:",
                "  - {id: method, attribute: http.request.method, signal: span, type: string, allowed: [GET, POST], onViolation: reject}",
                "  - {id: status, attribute: http.response.status_code, signal: span, type: int, allowed: [200, 404], onViolation: reject}",
                "  - {id: route, attribute: http.route, signal: span, type: string, maxLength: 5, onViolation: reject}", "")));

        assertThat(validator.validate(Signal.SPAN, List.of(str("http.request.method", "PUT")), RESOURCE, null).rejectMessage())
                .isEqualTo("rule method: attribute http.request.method value \"PUT\" is not one of GET, POST");
        assertThat(validator.validate(Signal.SPAN, List.of(integer("http.response.status_code", 500)), RESOURCE, null).rejectMessage())
                .isEqualTo("rule status: attribute http.response.status_code value 500 is not one of 200, 404");
        assertThat(validator.validate(Signal.SPAN, List.of(integer("http.response.status_code", 404)), RESOURCE, null).isValid()).isTrue();
        ValidationResult tooLong = validator.validate(Signal.SPAN, List.of(str("http.route", "/carts")), RESOURCE, null);
        assertThat(tooLong.rejectReason()).isEqualTo(DeadLetterReason.INVALID_ATTRIBUTE_VALUE);
        assertThat(tooLong.rejectMessage()).isEqualTo("rule route: attribute http.route is 6 characters long, over maxLength 5");
    }

    @Test
    void oversizedValueIsRejectedAsAttributeTooLarge() {
        ValidationResult result = shipped.validate(Signal.SPAN, List.of(str("db.query.text", "x".repeat(16385))), RESOURCE, "CLIENT");

        assertThat(result.rejectReason()).isEqualTo(DeadLetterReason.ATTRIBUTE_TOO_LARGE);
        assertThat(result.rejectMessage()).isEqualTo(
                "rule maxAttributeValueLength: attribute db.query.text value is 16385 bytes, over the limit of 16384");
        assertThat(result.ruleId(result.violationCount() - 1)).isEqualTo(ConventionRegistry.LIMIT_RULE_ID);
    }

    @Test
    void valueSizeIsCountedInUtf8Bytes() {
        // 8193 two-byte characters: under the limit in chars, over it in bytes.
        assertThat(shipped.validate(Signal.LOG, List.of(str("message", "é".repeat(8193))), RESOURCE, null).rejectMessage())
                .isEqualTo("rule maxAttributeValueLength: attribute message value is 16386 bytes, over the limit of 16384");
        assertThat(shipped.validate(Signal.LOG, List.of(str("message", "é".repeat(8192))), RESOURCE, null).isRejected()).isFalse();
        assertThat(shipped.validate(Signal.LOG, List.of(),
                List.of(str("service.name", "checkout"), str("process.command_line", "y".repeat(20000))), null).rejectMessage())
                .isEqualTo("rule maxAttributeValueLength: resource attribute process.command_line value is 20000 bytes, over the limit of 16384");
    }

    @Test
    void oversizedValuesOnlyTagWhenConfiguredSo() {
        ConventionValidator validator = new ConventionValidator(registry(
                "maxAttributeValueLength: 10\nonOversizedValue: tag\nrules:\n  - {id: service.name, scope: resource, signal: log, requirement: required}\n"));

        ValidationResult result = validator.validate(Signal.LOG, List.of(str("body.copy", "12345678901")), RESOURCE, null);

        assertThat(result.isRejected()).isFalse();
        assertThat(result.ruleId(0)).isEqualTo("maxAttributeValueLength");
        assertThat(result.reason(0)).isEqualTo(DeadLetterReason.ATTRIBUTE_TOO_LARGE);
    }

    @Test
    void whenScopesRulesBySpanKindAndAttributes() {
        List<KeyValue> serverWithoutPath = List.of(str("http.request.method", "GET"));

        // The result is reused by the next call, so each is read before the next validation.
        ValidationResult server = shipped.validate(Signal.SPAN, serverWithoutPath, RESOURCE, "SPAN_KIND_SERVER");
        assertThat(server.ruleId(0)).isEqualTo("http.server.url.path");
        assertThat(server.reason(0)).isEqualTo(DeadLetterReason.MISSING_REQUIRED_ATTRIBUTE);
        assertThat(shipped.validate(Signal.SPAN, serverWithoutPath, RESOURCE, "INTERNAL").isValid()).isTrue();
        assertThat(shipped.validate(Signal.SPAN, serverWithoutPath, RESOURCE, "CLIENT").ruleId(0)).isEqualTo("http.client.url.full");
        assertThat(shipped.validate(Signal.SPAN, List.of(), RESOURCE, "SERVER").isValid()).isTrue();
    }

    @Test
    void whenEqualsComparesByTheAttributesType() {
        ConventionValidator validator = new ConventionValidator(registry(String.join("\n",
                "maxAttributeValueLength: 1024",
                "rules:",
                "  - id: grpc.status",
                "    signal: span",
                "    attribute: rpc.grpc.status_code",
                "    when: {equals: {rpc.system: grpc, rpc.version: 2}}",
                "    requirement: required", "")));

        assertThat(validator.validate(Signal.SPAN, List.of(str("rpc.system", "grpc"), integer("rpc.version", 2)), RESOURCE, null)
                .ruleId(0)).isEqualTo("grpc.status");
        assertThat(validator.validate(Signal.SPAN, List.of(str("rpc.system", "grpc"), integer("rpc.version", 3)), RESOURCE, null)
                .isValid()).isTrue();
        assertThat(validator.validate(Signal.SPAN, List.of(str("rpc.system", "dubbo"), integer("rpc.version", 2)), RESOURCE, null)
                .isValid()).isTrue();
    }

    @Test
    void ruleIndexesPointIntoRuleIdsForPerRuleCounters() {
        ValidationResult result = shipped.validate(Signal.SPAN, List.of(str("http.request.method", "FETCH"),
                str("server.port", "443"), str("huge", "z".repeat(20000))), RESOURCE, "INTERNAL");

        List<String> ids = shipped.ruleIds();
        assertThat(ids.get(ids.size() - 1)).isEqualTo(ConventionRegistry.LIMIT_RULE_ID);
        assertThat(result.violationCount()).isEqualTo(3);
        for (int i = 0; i < result.violationCount(); i++) {
            assertThat(ids.get(result.ruleIndex(i))).isEqualTo(result.ruleId(i));
        }
        assertThat(result.rejectReason()).isEqualTo(DeadLetterReason.ATTRIBUTE_TOO_LARGE);
    }

    @Test
    void resultIsFreshForEveryItemEvenWhenTheResourceChanges() {
        List<KeyValue> noService = List.of(str("telemetry.sdk.language", "go"));

        assertThat(shipped.validate(Signal.LOG, List.of(), RESOURCE, null).isValid()).isTrue();
        assertThat(shipped.validate(Signal.LOG, List.of(), noService, null).isRejected()).isTrue();
        assertThat(shipped.validate(Signal.LOG, List.of(), RESOURCE, null).isValid()).isTrue();
        // Many attributes at once: the index grows and still finds every key.
        List<KeyValue> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) many.add(str("custom." + i, "v"));
        many.add(str("error.type", "timeout"));
        many.add(integer("exception.type", 1));
        ValidationResult result = shipped.validate(Signal.LOG, many, RESOURCE, null);
        assertThat(result.violationCount()).isEqualTo(1);
        assertThat(result.ruleId(0)).isEqualTo("exception.type");
    }

    @Test
    void registryErrorsNamePositionFieldAndEveryBrokenRule() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> registry(String.join("\n",
                "maxAttributeValueLength: 100",
                "rules:",
                "  - id: a",
                "    signal: span",
                "    type: strng",
                "  - id: b",
                "    signal: log",
                "    requirement: required",
                "    onViolaton: reject",
                "  - id: c",
                "    signal: span",
                "    type: double",
                "    allowed: [1.5]",
                "  - id: a",
                "    signal: metric",
                "    requirement: recommended", "")));

        assertThat(e.getProblems()).extracting(ConfigException::getMessage).containsExactly(
                "registry.yaml:5:11: rules[0].type: expected one of string, int, double, boolean, array, got \"strng\" (did you mean \"string\"?)",
                "registry.yaml:9:5: rules[1].onViolaton: unknown field \"onViolaton\", did you mean \"onViolation\"?",
                "registry.yaml:13:14: rules[2].allowed: allowed needs type string or int, the rule has type double");
        assertThat(e.getLine()).isEqualTo(5);
    }

    @Test
    void duplicateRuleIdsAndRulesThatCheckNothingAreRefused() {
        ConfigException duplicate = catchThrowableOfType(ConfigException.class, () -> registry(
                "maxAttributeValueLength: 100\nrules:\n  - {id: a, signal: span, type: int}\n  - {id: a, signal: log, type: int}\n"));
        ConfigException idle = catchThrowableOfType(ConfigException.class, () -> registry(
                "maxAttributeValueLength: 100\nrules:\n  - {id: a, signal: span}\n"));
        ConfigException kindOnMetric = catchThrowableOfType(ConfigException.class, () -> registry(
                "maxAttributeValueLength: 100\nrules:\n  - {id: a, signal: [span, metric], type: int, when: {spanKind: SERVER}}\n"));

        assertThat(duplicate.getMessage()).isEqualTo("registry.yaml:4:10: rules[1].id: duplicate rule id \"a\"");
        assertThat(idle.getMessage()).isEqualTo(
                "registry.yaml:3:5: rules[0]: rule a checks nothing: give it requirement required or recommended, or a type");
        assertThat(kindOnMetric.getMessage()).isEqualTo(
                "registry.yaml:3:65: rules[0].when.spanKind: spanKind applies only to rules whose signal is span alone");
    }
}
