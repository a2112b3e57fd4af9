package io.telemetrysuite.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads one YAML document into a {@link ConfigNode} tree for strict, typed reading.
 *
 * <p>Only snakeyaml-engine's composer runs (no object construction), so every value keeps its start
 * mark and the reader can name the line and column of whatever it refuses. The YAML 1.2 core schema
 * resolves scalars ({@code true}/{@code True}/{@code TRUE}, {@code ~} as null, {@code 0x1F}); {@code
 * yes}/{@code on} stay strings. Duplicate keys are refused here, in the whole tree, even in sections
 * no reader looks at: a duplicate silently overriding its first value is a classic config bug.
 */
public final class YamlConfig {
    private YamlConfig() {}

    /** Loads a file; the file's path as given names it in errors. */
    public static ConfigNode load(Path file) {
        String name = file.toString();
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), strictUtf8())) {
            return compose(name, reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, 0, "", "file not found");
        } catch (CharacterCodingException e) {
            throw new ConfigException(name, 0, 0, "", "file is not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "", "cannot be read: " + e, e);
        }
    }

    /**
     * Loads a resource from this class's class loader, for defaults bundled with a job; errors name
     * it {@code classpath:<resource>}.
     */
    public static ConfigNode loadResource(String resource) {
        return loadResource(resource, YamlConfig.class.getClassLoader());
    }

    public static ConfigNode loadResource(String resource, ClassLoader classLoader) {
        String name = "classpath:" + resource;
        InputStream in = classLoader.getResourceAsStream(resource);
        if (in == null) throw new ConfigException(name, 0, 0, "", "resource not found on the classpath");
        try (Reader reader = new InputStreamReader(in, strictUtf8())) {
            return compose(name, reader);
        } catch (CharacterCodingException e) {
            throw new ConfigException(name, 0, 0, "", "resource is not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "", "cannot be read: " + e, e);
        }
    }

    /** Parses YAML text; {@code sourceName} names it in errors. */
    public static ConfigNode parse(String sourceName, String yaml) {
        return compose(sourceName, new StringReader(yaml));
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static ConfigNode compose(String name, Reader reader) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(name)
                .setSchema(new CoreSchema())
                .setAllowRecursiveKeys(false)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeReader(reader);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            throw new ConfigException(name, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), "", "invalid YAML: " + problem, e);
        } catch (YamlEngineException e) {
            throw new ConfigException(name, 0, 0, "", "invalid YAML: " + e.getMessage(), e);
        }
        // An empty file is an empty mapping: required fields then report themselves as missing.
        Node node = root.orElseGet(() -> new MappingNode(Tag.MAP, Collections.emptyList(),
                FlowStyle.BLOCK));
        rejectDuplicateKeys(name, node, "", Collections.newSetFromMap(new IdentityHashMap<>()));
        return new ConfigNode(name, "", node);
    }

    private static void rejectDuplicateKeys(String name, Node node, String path, Set<Node> visited) {
        // Aliases make the tree a graph; each node needs checking once.
        if (!visited.add(node)) return;
        if (node instanceof MappingNode) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple tuple : ((MappingNode) node).getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode) || Tag.NULL.equals(keyNode.getTag())) {
                    throw new ConfigException(name, ConfigNode.line(keyNode), ConfigNode.column(keyNode), path,
                            "keys must be plain strings");
                }
                String key = ((ScalarNode) keyNode).getValue();
                String childPath = ConfigNode.childPath(path, key);
                Node first = seen.putIfAbsent(key, keyNode);
                if (first != null) {
                    throw new ConfigException(name, ConfigNode.line(keyNode), ConfigNode.column(keyNode), childPath,
                            "duplicate key \"" + key + "\" (first defined at line " + ConfigNode.line(first)
                                    + ", column " + ConfigNode.column(first) + ")");
                }
                rejectDuplicateKeys(name, tuple.getValueNode(), childPath, visited);
            }
        } else if (node instanceof SequenceNode) {
            int i = 0;
            for (Node element : ((SequenceNode) node).getValue()) {
                rejectDuplicateKeys(name, element, path + "[" + i++ + "]", visited);
            }
        }
    }
}
