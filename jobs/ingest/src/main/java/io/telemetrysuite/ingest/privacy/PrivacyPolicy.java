package io.telemetrysuite.ingest.privacy;

import io.telemetrysuite.config.ConfigException;
import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privacy policy: what to drop, mask or hash in attributes and record fields, which patterns to
 * mask inside every other string value, the key for hashing, and how far to coarsen timestamps.
 * Loaded from YAML (format documented in {@code deploy/config/privacy-policy.yaml}, which the ingest
 * jar also bundles as its default); immutable and serializable, so Flink ships it to the tasks, where
 * each builds its own {@link Redactor}.
 *
 * <p>The HMAC key is resolved once, when the policy is loaded (on the client that builds the job), and
 * travels inside the policy, so every task hashes with the same key: a task manager missing the
 * environment variable must not silently hash with another key and split a user in two. Resolution
 * order: {@code hash.keyFile} when configured (a missing file is an error), else the environment
 * variable {@value #KEY_ENV}, else a fixed, public demo key, with a warning.
 */
public final class PrivacyPolicy implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyPolicy.class);

    /** The classpath resource holding the shipped policy. */
    public static final String DEFAULT_RESOURCE = "privacy-policy.yaml";
    /** The environment variable holding the HMAC key when the policy names no key file. */
    public static final String KEY_ENV = "TELEMETRY_PRIVACY_KEY";
    /** Shorter keys make the hashes guessable by brute force over the key. */
    public static final int MIN_KEY_BYTES = 16;
    /** Public, so hashes made with it protect nothing against someone who has read this source. */
    static final String DEMO_KEY = "telemetry-suite-demo-key-NOT-SECRET";

    /** One entry of the {@code attributes} section. */
    public record AttributeRule(String name, PrivacyAction action) implements Serializable {}

    private final List<AttributeRule> attributeRules;
    private final Set<MaskPattern> patterns;
    private final Map<RecordField, PrivacyAction> fieldActions;
    private final Map<RecordKind, Duration> coarsening;
    private final byte[] hashKey;
    private final String keySource;

    private PrivacyPolicy(List<AttributeRule> attributeRules, EnumSet<MaskPattern> patterns, EnumMap<RecordField, PrivacyAction> fieldActions,
                          EnumMap<RecordKind, Duration> coarsening, byte[] hashKey, String keySource) {
        this.attributeRules = List.copyOf(attributeRules);
        this.patterns = Collections.unmodifiableSet(patterns);
        this.fieldActions = Collections.unmodifiableMap(fieldActions);
        this.coarsening = Collections.unmodifiableMap(coarsening);
        this.hashKey = hashKey;
        this.keySource = keySource;
    }

    public static PrivacyPolicy load(Path file) {
        return fromConfig(YamlConfig.load(file), System::getenv);
    }

    /** The policy bundled with the ingest job (the same file as {@code deploy/config/privacy-policy.yaml}). */
    public static PrivacyPolicy loadDefault() {
        return fromConfig(YamlConfig.loadResource(DEFAULT_RESOURCE, PrivacyPolicy.class.getClassLoader()), System::getenv);
    }

    /**
     * Reads a policy document.
     *
     * @param environment looks up environment variables ({@code System::getenv} outside tests)
     */
    public static PrivacyPolicy fromConfig(ConfigNode root, UnaryOperator<String> environment) {
        root.rejectUnknownFields("attributes", "patterns", "fields", "hash", "coarsenTimestamps");
        List<AttributeRule> attributeRules = root.optional("attributes").map(PrivacyPolicy::readAttributeRules).orElse(List.of());
        EnumSet<MaskPattern> patterns = root.optional("patterns").map(PrivacyPolicy::readPatterns)
                .orElseGet(() -> EnumSet.allOf(MaskPattern.class));
        EnumMap<RecordField, PrivacyAction> fields = root.optional("fields").map(PrivacyPolicy::readFields)
                .orElseGet(() -> new EnumMap<>(RecordField.class));
        EnumMap<RecordKind, Duration> coarsening = root.optional("coarsenTimestamps").map(PrivacyPolicy::readCoarsening)
                .orElseGet(() -> new EnumMap<>(RecordKind.class));

        ConfigNode hash = root.optional("hash").orElse(null);
        String keyFile = null;
        if (hash != null) {
            hash.rejectUnknownFields("keyFile");
            keyFile = hash.optionalString("keyFile", null);
        }
        String keyFromEnv = environment.apply(KEY_ENV);
        byte[] key;
        String keySource;
        if (keyFile != null) {
            ConfigNode keyFileNode = hash.required("keyFile");
            try {
                key = Files.readString(Path.of(keyFile), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw keyFileNode.error("cannot read the key file: " + e);
            }
            keySource = "key file " + keyFile;
            if (key.length < MIN_KEY_BYTES) throw keyFileNode.error(tooShort(keySource, key.length));
        } else if (keyFromEnv != null && !keyFromEnv.isEmpty()) {
            key = keyFromEnv.getBytes(StandardCharsets.UTF_8);
            keySource = "environment variable " + KEY_ENV;
            if (key.length < MIN_KEY_BYTES) {
                throw new ConfigException(root.source(), 0, 0, "", tooShort(keySource, key.length));
            }
        } else {
            key = DEMO_KEY.getBytes(StandardCharsets.UTF_8);
            keySource = "demo key";
            LOG.warn("PRIVACY: no HMAC key configured ({}: set {} or hash.keyFile). Hashing with the PUBLIC demo key: "
                    + "hashed identifiers can be recovered by anyone who hashes guesses with it. Never run like this "
                    + "on real data.", root.source(), KEY_ENV);
        }
        return new PrivacyPolicy(attributeRules, patterns, fields, coarsening, key, keySource);
    }

    private static String tooShort(String source, int length) {
        return "the HMAC key from " + source + " is " + length + " bytes; use at least " + MIN_KEY_BYTES
                + " (for example: openssl rand -hex 32)";
    }

    private static List<AttributeRule> readAttributeRules(ConfigNode list) {
        List<AttributeRule> rules = list.mapElements(entry -> {
            entry.rejectUnknownFields("name", "action");
            return new AttributeRule(entry.required("name").asNonEmptyString(), entry.requiredEnum("action", PrivacyAction.class));
        });
        Map<String, Integer> seen = new HashMap<>();
        List<ConfigException> errors = new ArrayList<>();
        List<ConfigNode> entries = list.elements();
        for (int i = 0; i < rules.size(); i++) {
            Integer first = seen.putIfAbsent(rules.get(i).name(), i);
            if (first != null) {
                errors.add(entries.get(i).required("name").error("\"" + rules.get(i).name() + "\" is already listed at "
                        + entries.get(first).path()));
            }
        }
        if (!errors.isEmpty()) throw ConfigException.combine(errors);
        return rules;
    }

    /** Patterns the section does not mention stay on: masking is the safe default. */
    private static EnumSet<MaskPattern> readPatterns(ConfigNode section) {
        String[] names = {"email", "ipv4", "ipv6", "card"};
        section.rejectUnknownFields(names);
        EnumSet<MaskPattern> enabled = EnumSet.noneOf(MaskPattern.class);
        for (String name : names) {
            if (section.optionalBoolean(name, true)) enabled.add(MaskPattern.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        return enabled;
    }

    private static EnumMap<RecordField, PrivacyAction> readFields(ConfigNode section) {
        String[] names = new String[RecordField.values().length];
        for (RecordField field : RecordField.values()) names[field.ordinal()] = field.policyName();
        section.rejectUnknownFields(names);
        EnumMap<RecordField, PrivacyAction> actions = new EnumMap<>(RecordField.class);
        for (RecordField field : RecordField.values()) {
            section.optional(field.policyName()).ifPresent(n -> actions.put(field, n.asEnum(PrivacyAction.class)));
        }
        return actions;
    }

    private static EnumMap<RecordKind, Duration> readCoarsening(ConfigNode section) {
        EnumMap<RecordKind, Duration> coarsening = new EnumMap<>(RecordKind.class);
        String[] names = new String[RecordKind.values().length];
        for (RecordKind kind : RecordKind.values()) names[kind.ordinal()] = kind.name().toLowerCase(Locale.ROOT);
        section.rejectUnknownFields(names);
        for (RecordKind kind : RecordKind.values()) {
            section.optional(names[kind.ordinal()]).ifPresent(n -> coarsening.put(kind, n.asPositiveDuration()));
        }
        return coarsening;
    }

    /** The {@code attributes} section in file order. */
    public List<AttributeRule> attributeRules() {
        return attributeRules;
    }

    public Set<MaskPattern> patterns() {
        return patterns;
    }

    /** Actions for record fields the policy names; unnamed fields have the patterns masked. */
    public Map<RecordField, PrivacyAction> fieldActions() {
        return fieldActions;
    }

    /** How far each record kind's timestamps are truncated; kinds not present are left exact. */
    public Map<RecordKind, Duration> coarsening() {
        return coarsening;
    }

    /** Where the HMAC key came from: a key file, the environment variable, or the demo key. */
    public String keySource() {
        return keySource;
    }

    public boolean usesDemoKey() {
        return keySource.equals("demo key");
    }

    byte[] hashKey() {
        return hashKey.clone();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "PrivacyPolicy{" + attributeRules.size() + " attribute rules, patterns=" + patterns + ", fields=" + fieldActions
                + ", coarsening=" + coarsening + ", key from " + keySource + "}";
    }
}
