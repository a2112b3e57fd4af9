package io.telemetrysuite.aggregate;

import io.telemetrysuite.config.ConfigNode;
import io.telemetrysuite.config.YamlConfig;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.annotation.Nullable;

/**
 * Reads an aggregate config YAML over {@link AggregateConfig}'s defaults. Every key is optional; an
 * unknown key, a wrong type or an inconsistent set of resolutions is refused with file, line and column.
 */
public final class AggregateConfigLoader {
    private AggregateConfigLoader() {}

    /** The defaults when {@code file} is null. */
    public static AggregateConfig load(@Nullable Path file) throws NoSuchFileException {
        AggregateConfig config = new AggregateConfig();
        if (file == null) return config.validate();
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "config file does not exist");
        ConfigNode root = YamlConfig.load(file);
        if (root.isNull()) return config.validate();
        root.rejectUnknownFields("resolutions", "maxOutOfOrderness", "idleness", "allowedLateness", "kllK");
        root.optional("resolutions").ifPresent(n -> config.resolutions = n.mapElements(ConfigNode::asPositiveDuration));
        config.maxOutOfOrderness = root.optionalDuration("maxOutOfOrderness", config.maxOutOfOrderness);
        config.idleness = root.optionalDuration("idleness", config.idleness);
        config.allowedLateness = root.optionalDuration("allowedLateness", config.allowedLateness);
        config.kllK = root.optionalInt("kllK", config.kllK);
        try {
            return config.validate();
        } catch (IllegalArgumentException e) {
            // Point at the setting that is inconsistent, not at the top of the file.
            String key = e.getMessage().startsWith("kllK") ? "kllK" : "resolutions";
            throw root.optional(key).orElse(root).error(e.getMessage());
        }
    }
}
