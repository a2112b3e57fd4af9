package io.telemetrysuite.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * A Flink {@code config.yaml} with some settings replaced: the file is read, flattened to Flink's
 * dotted keys ({@code rest: {port: 8081}} becomes {@code rest.port}), the overrides are put over it
 * and the result is written flat, which Flink 2.x reads the same. Flattening first is what makes an
 * override replace a nested key instead of adding a second, conflicting one.
 */
final class FlinkConfigFile {
    private FlinkConfigFile() {}

    static String withOverrides(Path source, Map<String, String> overrides) {
        Map<String, Object> flat = new LinkedHashMap<>();
        try {
            Object root = new Load(LoadSettings.builder().setLabel(source.toString()).build())
                    .loadFromString(Files.readString(source, StandardCharsets.UTF_8));
            if (root != null && !(root instanceof Map)) throw new IllegalStateException(source + " is not a YAML mapping");
            if (root != null) flatten("", (Map<?, ?>) root, flat);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Flink configuration " + source, e);
        }
        flat.putAll(overrides);
        String body = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(flat);
        return "# Written by " + FlinkCluster.class.getName() + " from " + source + ",\n"
                + "# with this cluster's ports and absolute directories. Edit the source, not this copy.\n" + body;
    }

    private static void flatten(String prefix, Map<?, ?> node, Map<String, Object> into) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) {
                flatten(key + ".", child, into);
            } else if (e.getValue() instanceof List<?> list) {
                into.put(key, list);
            } else {
                into.put(key, e.getValue() == null ? null : e.getValue().toString());
            }
        }
    }
}
