package io.telemetrysuite.ingest.validate;

import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The semantic-conventions registry: the rules ingest checks every span, metric point and log record
 * against, plus the global limit on attribute value size. Loaded from YAML (format documented in
 * {@code deploy/config/semconv-registry.yaml}, which the ingest jar also bundles as its default);
 * immutable and serializable, so a Flink operator can carry it and build its {@link
 * ConventionValidator} in {@code open()}.
 */
public final class ConventionRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The classpath resource holding the shipped registry. */
    public static final String DEFAULT_RESOURCE = "semconv-registry.yaml";
    /** The id violations of the value-length limit are reported under, next to the rules' own ids. */
    public static final String LIMIT_RULE_ID = "maxAttributeValueLength";

    private final List<ConventionRule> rules;
    private final int maxAttributeValueLength;
    private final ConventionRule.OnViolation onOversizedValue;

    private ConventionRegistry(List<ConventionRule> rules, int maxAttributeValueLength, ConventionRule.OnViolation onOversizedValue) {
        this.rules = List.copyOf(rules);
        this.maxAttributeValueLength = maxAttributeValueLength;
        this.onOversizedValue = onOversizedValue;
    }

    public static ConventionRegistry load(Path file) {
        return fromConfig(YamlConfig.load(file));
    }

    /** The registry bundled with the ingest job (the same file as {@code deploy/config/semconv-registry.yaml}). */
    public static ConventionRegistry loadDefault() {
        return fromConfig(YamlConfig.loadResource(DEFAULT_RESOURCE, ConventionRegistry.class.getClassLoader()));
    }

    /** Reads a registry document; throws {@link io.telemetrysuite.config.ConfigException} naming every broken rule. */
    public static ConventionRegistry fromConfig(ConfigNode root) {
        root.rejectUnknownFields("maxAttributeValueLength", "onOversizedValue", "rules");
        int limit = root.required("maxAttributeValueLength").asPositiveInt();
        ConventionRule.OnViolation onOversized = root.optionalEnum("onOversizedValue", ConventionRule.OnViolation.class,
                ConventionRule.OnViolation.REJECT);
        return new ConventionRegistry(ConventionRule.readAll(root.required("rules")), limit, onOversized);
    }

    /** The rules in file order. */
    public List<ConventionRule> rules() {
        return rules;
    }

    /** The largest attribute value accepted, in UTF-8 bytes. */
    public int maxAttributeValueLength() {
        return maxAttributeValueLength;
    }

    public ConventionRule.OnViolation onOversizedValue() {
        return onOversizedValue;
    }

    @Override
    public String toString() {
        return "ConventionRegistry{" + rules.size() + " rules, maxAttributeValueLength=" + maxAttributeValueLength
                + " " + onOversizedValue + "}";
    }
}
