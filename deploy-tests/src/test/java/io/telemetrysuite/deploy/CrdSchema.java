package io.telemetrysuite.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One version of a CustomResourceDefinition's {@code openAPIV3Schema}, as a validator for manifests
 * of that kind, without a cluster.
 *
 * <p>Stricter than a plain JSON-schema check and as strict as {@code kubectl apply --validate=strict}:
 * an object schema that lists its properties and does not say {@code x-kubernetes-preserve-unknown-fields}
 * refuses other fields (the API server would silently prune them, so a misspelt field would be lost
 * without a word). OpenAPI 3.0 schemas are validated as JSON Schema draft 4, their closest dialect.
 */
final class CrdSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String apiVersion;
    private final String kind;
    private final JsonSchema schema;

    private CrdSchema(String apiVersion, String kind, JsonSchema schema) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.schema = schema;
    }

    /** The schema of {@code version} in the CRD file {@code crd}. */
    static CrdSchema load(Path crd, String version) {
        JsonNode definition;
        try {
            definition = YAML.readTree(crd.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String group = definition.at("/spec/group").asText();
        String kind = definition.at("/spec/names/kind").asText();
        for (JsonNode v : definition.at("/spec/versions")) {
            if (v.path("name").asText().equals(version)) {
                ObjectNode openApi = v.at("/schema/openAPIV3Schema").deepCopy();
                // The API server owns the envelope; the CRDs leave it out of their schemas (or only type it).
                ObjectNode properties = openApi.with("properties");
                if (!properties.has("apiVersion")) properties.putObject("apiVersion").put("type", "string");
                if (!properties.has("kind")) properties.putObject("kind").put("type", "string");
                if (!properties.has("metadata")) properties.putObject("metadata").put("type", "object");
                closeObjects(openApi);
                JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
                return new CrdSchema(group + "/" + version, kind, schema);
            }
        }
        throw new IllegalArgumentException(crd + " has no version " + version);
    }

    String apiVersion() {
        return apiVersion;
    }

    String kind() {
        return kind;
    }

    /** What is wrong with {@code manifest}, one line per problem with its JSON path; empty when valid. */
    List<String> problems(JsonNode manifest) {
        TreeSet<String> problems = new TreeSet<>();
        if (!apiVersion.equals(manifest.path("apiVersion").asText())) {
            problems.add("$.apiVersion: " + manifest.path("apiVersion") + " is not " + apiVersion);
        }
        if (!kind.equals(manifest.path("kind").asText())) problems.add("$.kind: " + manifest.path("kind") + " is not " + kind);
        String name = manifest.at("/metadata/name").asText();
        // The API server's rule for object names (DNS-1123 subdomain); the CRD schema leaves metadata to it.
        if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") || name.length() > 253) {
            problems.add("$.metadata.name: '" + name + "' is not a valid Kubernetes object name");
        }
        for (ValidationMessage m : schema.validate(manifest)) problems.add(m.getMessage());
        return problems.stream().collect(Collectors.toList());
    }

    private static void closeObjects(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            boolean open = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (object.has("properties") && !open && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
        }
        for (JsonNode child : node) closeObjects(child);
    }
}
