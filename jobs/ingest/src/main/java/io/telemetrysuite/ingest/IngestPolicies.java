package io.telemetrysuite.ingest;

import io.telemetrysuite.ingest.privacy.PrivacyPolicy;
import io.telemetrysuite.ingest.privacy.Redactor;
import io.telemetrysuite.ingest.validate.ConventionRegistry;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The conventions registry and the privacy policy, loaded and checked when the job is built (on the
 * client, before anything is submitted), so a bad file is refused with its line instead of failing
 * tasks later. Serializable: Flink ships it to every task.
 */
public final class IngestPolicies implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ConventionRegistry registry;
    private final PrivacyPolicy privacy;

    public IngestPolicies(ConventionRegistry registry, PrivacyPolicy privacy) {
        this.registry = registry;
        this.privacy = privacy;
    }

    public static IngestPolicies load(IngestConfig config) {
        ConventionRegistry registry = config.registryFile == null
                ? ConventionRegistry.loadDefault()
                : ConventionRegistry.load(Path.of(config.registryFile));
        PrivacyPolicy privacy = config.privacyPolicyFile == null
                ? PrivacyPolicy.loadDefault()
                : PrivacyPolicy.load(Path.of(config.privacyPolicyFile));
        return new IngestPolicies(registry, privacy);
    }

    public ConventionRegistry registry() {
        return registry;
    }

    public PrivacyPolicy privacy() {
        return privacy;
    }

    /** A redactor for one task; it holds a per-thread HMAC instance. */
    public Redactor newRedactor() {
        return new Redactor(privacy);
    }
}
