package io.telemetrysuite.ingest.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrysuite.config.YamlConfig;
import io.telemetrysuite.json.EventJson;
import io.telemetrysuite.model.DeadLetter;
import io.telemetrysuite.model.DeadLetterReason;
import io.telemetrysuite.model.InferenceSample;
import io.telemetrysuite.model.LogRecord;
import io.telemetrysuite.model.MetricPoint;
import io.telemetrysuite.model.Span;
import io.telemetrysuite.model.SpanEvent;
import io.telemetrysuite.model.SpanLink;
import io.telemetrysuite.model.SystemSample;
import io.telemetrysuite.model.WorkloadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final String POLICY = String.join("\n",
            "attributes:",
            "  - {name: enduser.id, action: hash}",
            "  - {name: support.email, action: keep}",
            "  - {name: \"*.email\", action: mask}",
            "  - {name: http.request.header.authorization, action: drop}",
            "  - {name: \"session.*\", action: drop}",
            "fields:",
            "  workload.user: hash",
            "  workload.tenant: keep",
            "  inference.requestId: drop",
            "coarsenTimestamps:",
            "  span: 1s",
            "  log: 1s",
            "  metric: 1m",
            "  workload: 1m",
            "  system: 5m",
            "  inference: 1h", "");

    private static PrivacyPolicy policy(String yaml, String key) {
        Map<String, String> env = key == null ? Map.of() : Map.of(PrivacyPolicy.KEY_ENV, key);
        return PrivacyPolicy.fromConfig(YamlConfig.parse("privacy.yaml", yaml), env::get);
    }

    private final Redactor redactor = new Redactor(policy(POLICY, KEY));

    private static Map<String, String> map(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }

    private static String expectedHash(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return "hmac:" + HexFormat.of().formatHex(digest, 0, 16);
    }

    @Test
    void attributesAreDroppedMaskedHashedOrKeptByExactNameOrGlob() throws Exception {
        Span span = new Span();
        span.attributes = map("enduser.id", "u-42", "user.email", "bob@example.com", "support.email", "help@example.com",
                "http.request.header.authorization", "Bearer abc", "session.id", "s1", "http.route", "/cart");
        span.resourceAttributes = map("service.name", "checkout", "owner.email", "ops@example.com");
        span.events.add(new SpanEvent(1, "login", map("enduser.id", "u-42", "session.token", "t")));
        span.links.add(new SpanLink("a", "b", "", map("user.email", "x@example.org")));

        redactor.redact(span);

        assertThat(span.attributes).isEqualTo(Map.of("enduser.id", expectedHash(KEY, "u-42"), "user.email", Redactor.MASKED,
                "support.email", "help@example.com", "http.route", "/cart"));
        assertThat(span.resourceAttributes).isEqualTo(Map.of("service.name", "checkout", "owner.email", Redactor.MASKED));
        assertThat(span.events.get(0).attributes).isEqualTo(Map.of("enduser.id", expectedHash(KEY, "u-42")));
        assertThat(span.links.get(0).attributes).isEqualTo(Map.of("user.email", Redactor.MASKED));
    }

    @Test
    void hashIsStableForTheSameKeyAndDiffersAcrossKeys() throws Exception {
        Redactor sameKey = new Redactor(policy(POLICY, KEY));
        Redactor otherKey = new Redactor(policy(POLICY, "another-key-0123456789"));

        String hashed = redactor.hash("alice");

        assertThat(hashed).isEqualTo(expectedHash(KEY, "alice")).matches("hmac:[0-9a-f]{32}");
        assertThat(redactor.hash("alice")).isEqualTo(hashed);
        assertThat(sameKey.hash("alice")).isEqualTo(hashed);
        assertThat(otherKey.hash("alice")).isNotEqualTo(hashed).matches("hmac:[0-9a-f]{32}");
        assertThat(redactor.hash("alicf")).isNotEqualTo(hashed);
        assertThat(redactor.hash("")).isEmpty();
    }

    @Test
    void patternsAreMaskedInsideLongerStrings() {
        assertThat(redactor.scrub("mail bob.smith+tag@mail.example.co.uk, then retry"))
                .isEqualTo("mail <email>, then retry");
        assertThat(redactor.scrub("connect to 10.20.30.40:5432 failed.")).isEqualTo("connect to <ip>:5432 failed.");
        assertThat(redactor.scrub("peer [2001:db8::8a2e:370:7334]:443 and fe80::1 and ::ffff:192.0.2.1 gone"))
                .isEqualTo("peer [<ip>]:443 and <ip> and <ip> gone");
        assertThat(redactor.scrub("paid with 4111 1111 1111 1111 today")).isEqualTo("paid with <card> today");
        assertThat(redactor.scrub("card=5500-0000-0000-0004;amex 378282246310005")).isEqualTo("card=<card>;amex <card>");
        assertThat(redactor.scrub("order 12 4111111111111111")).isEqualTo("order 12 <card>");
    }

    @Test
    void lookalikesAreNotMasked() {
        List<String> untouched = List.of(
                "paid with 4111 1111 1111 1112 today", // Luhn-invalid
                "at 1717171717171 ms",                 // epoch millis: Luhn-valid, but starts with 1
                "ratio 0.4111111111111111",            // a double's fraction
                "build v1.2.3.4 and 1.2.3.4.5",        // versions
                "at 12:30:45 in std::vector",          // times and C++ scopes
                "mac 00:1a:2b:3c:4d:5e",               // MAC address
                "user@localhost",                      // no domain
                "trace 4bf92f3577b34da6a3ce929d0e0e4736");
        for (String value : untouched) {
            assertThat(redactor.scrub(value)).as(value).isSameAs(value);
        }
    }

    @Test
    void disabledPatternsStayUnmasked() {
        Redactor onlyCards = new Redactor(policy("patterns: {email: false, ipv4: false, ipv6: false}\n", KEY));

        assertThat(onlyCards.scrub("bob@example.com 10.0.0.1 4111111111111111")).isEqualTo("bob@example.com 10.0.0.1 <card>");
    }

    @Test
    void recordFieldsFollowTheirActionsAndOtherFieldsHavePatternsMasked() throws Exception {
        WorkloadRecord record = new WorkloadRecord();
        record.user = "alice";
        record.tenant = "acme@example.com";
        record.route = "/users/bob@example.com";
        record.errorMessage = "card 4111-1111-1111-1111 declined for 10.0.0.7";
        InferenceSample sample = new InferenceSample();
        sample.requestId = "req-1";
        sample.host = "10.0.0.9";
        SystemSample system = new SystemSample();
        system.host = "10.0.0.9";

        redactor.redact(record);
        redactor.redact(sample);
        redactor.redact(system);

        assertThat(record.user).isEqualTo(expectedHash(KEY, "alice"));
        assertThat(record.tenant).isEqualTo("acme@example.com");
        assertThat(record.route).isEqualTo("/users/<email>");
        assertThat(record.errorMessage).isEqualTo("card <card> declined for <ip>");
        assertThat(sample.requestId).isEmpty();
        assertThat(sample.host).isEqualTo("<ip>");
        assertThat(system.host).isEqualTo("<ip>");
    }

    @Test
    void timestampsAreCoarsenedPerRecordKind() {
        LogRecord log = new LogRecord();
        log.timeUnixNano = 1_700_000_001_234_567_890L;
        log.observedTimeUnixNano = 1_700_000_002_999_999_999L;
        Span span = new Span();
        span.startTimeUnixNano = 1_700_000_001_250_000_000L;
        span.endTimeUnixNano = 1_700_000_003_000_000_000L;
        span.events.add(new SpanEvent(1_700_000_001_500_000_000L, "retry", new HashMap<>()));
        MetricPoint point = new MetricPoint();
        point.startTimeUnixNano = 0;
        point.timeUnixNano = 1_700_000_059_000_000_000L;
        WorkloadRecord workload = new WorkloadRecord();
        workload.timestampMillis = 1_700_000_059_999L;
        SystemSample system = new SystemSample();
        system.timestampMillis = 1_700_000_299_999L;
        InferenceSample inference = new InferenceSample();
        inference.timestampMillis = 1_700_003_599_999L;

        redactor.redact(log);
        redactor.redact(span);
        redactor.redact(point);
        redactor.redact(workload);
        redactor.redact(system);
        redactor.redact(inference);

        assertThat(log.timeUnixNano).isEqualTo(1_700_000_001_000_000_000L);
        assertThat(log.observedTimeUnixNano).isEqualTo(1_700_000_002_000_000_000L);
        assertThat(span.startTimeUnixNano).isEqualTo(1_700_000_001_000_000_000L);
        assertThat(span.durationNanos()).isEqualTo(1_750_000_000L);
        assertThat(span.events.get(0).timeUnixNano).isEqualTo(1_700_000_001_250_000_000L);
        assertThat(point.startTimeUnixNano).isZero();
        assertThat(point.timeUnixNano).isEqualTo(1_700_000_040_000_000_000L);
        assertThat(workload.timestampMillis).isEqualTo(1_700_000_040_000L);
        assertThat(system.timestampMillis).isEqualTo(1_700_000_100_000L);
        assertThat(inference.timestampMillis).isEqualTo(1_700_002_800_000L);
    }

    @Test
    void rawBytesHaveThePatternsMaskedInPlace() {
        byte[] raw = "{\"user\":\"bob@example.com\",\"ip\":\"10.0.0.1\",\"note\":\"café\",\"pan\":\"4111111111111111\"}"
                .getBytes(StandardCharsets.UTF_8);

        byte[] masked = redactor.maskRaw(raw);

        assertThat(new String(masked, StandardCharsets.UTF_8)).isEqualTo(
                "{\"user\":\"<email>********\",\"ip\":\"<ip>****\",\"note\":\"café\",\"pan\":\"<card>**********\"}");
        assertThat(masked).hasSameSizeAs(raw);
        byte[] clean = "nothing to see".getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.maskRaw(clean)).isSameAs(clean);
    }

    @Test
    void deadLettersHavePayloadAndMessageMasked() {
        DeadLetter letter = new DeadLetter(DeadLetterReason.INVALID_JSON, "bad value \"bob@example.com\"", "topic/0/1", "log",
                "{broken bob@example.com".getBytes(StandardCharsets.UTF_8), 0);

        redactor.redact(letter);

        assertThat(letter.message).isEqualTo("bad value \"<email>\"");
        assertThat(new String(letter.raw, StandardCharsets.UTF_8)).isEqualTo("{broken <email>********");
    }

    @Test
    void serializedRecordsCarryNoneOfTheRawIdentifiers() {
        List<String> identifiers = List.of("bob@example.com", "10.1.2.3", "2001:db8::42", "4111111111111111", "u-1234", "alice",
                "Bearer s3cr3t");
        Redactor shipped = new Redactor(policy(readShippedPolicy(), KEY));

        Span span = new Span();
        span.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        span.spanId = "00f067aa0ba902b7";
        span.name = "GET /users/bob@example.com";
        span.statusMessage = "upstream 10.1.2.3 refused";
        span.attributes = map("enduser.id", "u-1234", "client.address", "2001:db8::42", "http.request.header.authorization", "Bearer s3cr3t",
                "payment.note", "card 4111111111111111");
        span.resourceAttributes = map("service.name", "shop", "deployment.owner", "alice@example.com");
        span.events.add(new SpanEvent(1, "exception from 10.1.2.3", map("exception.message", "no user bob@example.com")));
        span.links.add(new SpanLink("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "", map("user.id", "alice")));
        MetricPoint point = new MetricPoint();
        point.metricName = "http.server.request.duration";
        point.type = MetricPoint.Type.HISTOGRAM;
        point.attributes = map("client.address", "10.1.2.3", "user.name", "alice");
        point.resourceAttributes = map("service.name", "shop", "contact", "bob@example.com");
        LogRecord log = new LogRecord();
        log.body = "login failed for bob@example.com from 10.1.2.3 using card 4111-1111-1111-1111";
        log.attributes = map("enduser.id", "u-1234", "peer", "2001:db8::42");
        WorkloadRecord workload = new WorkloadRecord();
        workload.user = "alice";
        workload.route = "/users/u-1234";
        workload.errorMessage = "charge 4111 1111 1111 1111 for bob@example.com failed";
        InferenceSample inference = new InferenceSample();
        inference.tenant = "bob@example.com";
        inference.errorType = "quota exceeded for 10.1.2.3";
        SystemSample system = new SystemSample();
        system.host = "db-1";

        shipped.redact(span);
        shipped.redact(point);
        shipped.redact(log);
        shipped.redact(workload);
        shipped.redact(inference);
        shipped.redact(system);

        workload.route = workload.route.replace("u-1234", "{id}"); // route templating is the parser's job, not privacy's
        for (Object event : List.of(span, point, log, workload, inference, system)) {
            String json = EventJson.toLine(event);
            for (String identifier : identifiers) {
                assertThat(json).as(event.getClass().getSimpleName()).doesNotContain(identifier);
            }
        }
        assertThat(span.resourceAttributes).containsEntry("service.name", "shop");
        assertThat(span.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    private static String readShippedPolicy() {
        try {
            return Files.readString(Path.of("../../deploy/config/privacy-policy.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shippedPolicyLoadsAndIsTheFileInDeployConfig() throws Exception {
        PrivacyPolicy shipped = PrivacyPolicy.loadDefault();

        assertThat(shipped.fieldActions()).containsEntry(RecordField.WORKLOAD_USER, PrivacyAction.HASH);
        assertThat(shipped.patterns()).containsExactlyInAnyOrder(MaskPattern.values());
        assertThat(shipped.attributeRules()).contains(new PrivacyPolicy.AttributeRule("enduser.*", PrivacyAction.HASH));
        try (InputStream bundled = PrivacyPolicy.class.getClassLoader().getResourceAsStream(PrivacyPolicy.DEFAULT_RESOURCE)) {
            assertThat(new String(bundled.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(readShippedPolicy());
        }
    }

    @Test
    void keyComesFromTheKeyFileThenTheEnvironmentThenTheDemoKey(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("privacy.key");
        Files.writeString(keyFile, "file-key-0123456789abcdef\n");

        PrivacyPolicy fromFile = policy("hash: {keyFile: " + keyFile + "}\n", KEY);
        PrivacyPolicy fromEnv = policy("{}\n", KEY);
        PrivacyPolicy demo = policy("{}\n", null);

        assertThat(fromFile.keySource()).isEqualTo("key file " + keyFile);
        assertThat(new Redactor(fromFile).hash("x")).isEqualTo(expectedHash("file-key-0123456789abcdef", "x"));
        assertThat(fromEnv.keySource()).isEqualTo("environment variable TELEMETRY_PRIVACY_KEY");
        assertThat(demo.usesDemoKey()).isTrue();
        assertThat(new Redactor(demo).hash("x")).isEqualTo(expectedHash(PrivacyPolicy.DEMO_KEY, "x"));
        assertThat(fromEnv.toString()).doesNotContain(KEY);
    }

    @Test
    void policyErrorsArePositioned(@TempDir Path dir) {
        assertThatThrownBy(() -> policy("fields:\n  workload.usr: hash\n", KEY))
                .hasMessage("privacy.yaml:2:3: fields[\"workload.usr\"]: unknown field \"workload.usr\", did you mean \"workload.user\"?");
        assertThatThrownBy(() -> policy("attributes:\n  - {name: a.b, action: shred}\n", KEY))
                .hasMessage("privacy.yaml:2:25: attributes[0].action: expected one of keep, drop, mask, hash, got \"shred\"");
        assertThatThrownBy(() -> policy("attributes:\n  - {name: a, action: drop}\n  - {name: a, action: hash}\n", KEY))
                .hasMessage("privacy.yaml:3:12: attributes[1].name: \"a\" is already listed at attributes[0]");
        assertThatThrownBy(() -> policy("coarsenTimestamps:\n  log: 0s\n", KEY))
                .hasMessage("privacy.yaml:2:8: coarsenTimestamps.log: expected a duration greater than zero, got \"0s\"");
        assertThatThrownBy(() -> policy("{}\n", "short"))
                .hasMessage("privacy.yaml: the HMAC key from environment variable TELEMETRY_PRIVACY_KEY is 5 bytes; use at least 16 (for example: openssl rand -hex 32)");
        Path missing = dir.resolve("absent.key");
        assertThatThrownBy(() -> policy("hash:\n  keyFile: " + missing + "\n", KEY))
                .hasMessageStartingWith("privacy.yaml:2:12: hash.keyFile: cannot read the key file: java.nio.file.NoSuchFileException");
        assertThat(policy("coarsenTimestamps: {log: 1s}\n", KEY).coarsening()).isEqualTo(Map.of(RecordKind.LOG, Duration.ofSeconds(1)));
    }
}
