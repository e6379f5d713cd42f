package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KubeRay's published RayCluster CRD ({@code ../shared/kuberay/ray.io_rayclusters.yaml}), its
 * {@code v1} {@code openAPIV3Schema} turned into a JSON Schema (draft 7) that validates a resource
 * the way the API server does with strict field validation ({@code kubectl apply}'s default):
 *
 * <ul>
 *   <li>an object with {@code properties} takes no other fields ({@code additionalProperties:
 *       false}) unless it is marked {@code x-kubernetes-preserve-unknown-fields};
 *   <li>{@code x-kubernetes-int-or-string} is {@code anyOf [integer, string]};
 *   <li>{@code nullable} adds {@code null} to the type; {@code format: int32} becomes bounds;
 *   <li>other {@code x-kubernetes-*} keywords (list types, CEL rules) are dropped: CEL rules are not
 *       evaluated here.
 * </ul>
 *
 * <p>Any other keyword the conversion does not know fails the conversion, so that nothing is
 * silently ignored. The root's {@code metadata} (just {@code type: object} in the CRD) gets the
 * rules of KubeRay and the API server for names, labels and annotations.
 */
final class CrdSchema {
  private static final Set<String> COPIED = Set.of("required", "enum", "pattern", "minLength", "maxLength",
      "minimum", "maximum", "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "default",
      "multipleOf");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonSchema schema;

  private CrdSchema() {}

  /** The schema's complaints about the resource; empty if it is valid. */
  static List<String> errors(JsonNode resource) {
    Set<ValidationMessage> messages = schema().validate(resource);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Loaded on first use, so that a missing CRD fails each test with the message below. */
  private static synchronized JsonSchema schema() {
    if (schema == null) {
      schema = load();
    }
    return schema;
  }

  /** The CRD file: for the schema, and for the tests' Kubernetes API stand-in, which learns RayClusters from it. */
  static Path locate() {
    String configured = System.getProperty("geneva.kuberay.crd");
    List<Path> candidates = configured != null
        ? List.of(Path.of(configured))
        // The module directory is the working directory under Maven; the repository root under some IDEs.
        : List.of(Path.of("../../shared/kuberay/ray.io_rayclusters.yaml"),
            Path.of("../shared/kuberay/ray.io_rayclusters.yaml"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new AssertionError("KubeRay's RayCluster CRD is missing: looked for "
        + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
        + " from " + Path.of("").toAbsolutePath()
        + "; put shared/kuberay/ next to the project, or set -Dgeneva.kuberay.crd=PATH");
  }

  private static JsonSchema load() {
    Path crdFile = locate();
    JsonNode crd;
    try {
      crd = YAML.readTree(Files.readString(crdFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode openApi = null;
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals("v1")) {
        openApi = version.path("schema").path("openAPIV3Schema");
      }
    }
    if (openApi == null || !openApi.isObject()) {
      throw new IllegalStateException(crdFile + " has no v1 openAPIV3Schema");
    }
    ObjectNode schema = (ObjectNode) convert(openApi, "$");
    ((ObjectNode) schema.get("properties")).set("metadata", metadataSchema());
    schema.set("required", F.arrayNode().add("apiVersion").add("kind").add("metadata").add("spec"));
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
  }

  static JsonNode convert(JsonNode s, String path) {
    ObjectNode out = F.objectNode();
    boolean nullable = s.path("nullable").asBoolean(false);
    for (Map.Entry<String, JsonNode> e : s.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      switch (k) {
        case "type" -> out.set(k, nullable ? F.arrayNode().add(v).add("null") : v);
        case "properties" -> {
          ObjectNode props = out.putObject(k);
          v.properties().forEach(p -> props.set(p.getKey(), convert(p.getValue(), path + "." + p.getKey())));
        }
        case "items", "not" -> out.set(k, convert(v, path + "[]"));
        case "additionalProperties" -> out.set(k, v.isBoolean() ? v : convert(v, path + ".*"));
        case "anyOf", "allOf", "oneOf" -> {
          ArrayNode list = out.putArray(k);
          v.forEach(x -> list.add(convert(x, path)));
        }
        case "format" -> {
          if (v.asText().equals("int32")) {
            out.put("minimum", Integer.MIN_VALUE);
            out.put("maximum", Integer.MAX_VALUE);
          }
        }
        case "description", "title", "nullable" -> { }
        default -> {
          if (COPIED.contains(k)) {
            out.set(k, v);
          } else if (!k.startsWith("x-kubernetes-")) {
            throw new IllegalStateException("the CRD schema has keyword \"" + k + "\" at " + path
                + ", which this conversion does not handle");
          }
        }
      }
    }
    if (s.path("x-kubernetes-int-or-string").asBoolean(false) && !out.has("anyOf")) {
      out.putArray("anyOf").add(F.objectNode().put("type", "integer")).add(F.objectNode().put("type", "string"));
    }
    if (out.has("properties") && !out.has("additionalProperties")
        && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  private static ObjectNode metadataSchema() {
    ObjectNode stringMap = F.objectNode().put("type", "object");
    stringMap.putObject("additionalProperties").put("type", "string");
    ObjectNode m = F.objectNode().put("type", "object");
    m.putArray("required").add("name");
    ObjectNode props = m.putObject("properties");
    // KubeRay: a DNS-1035 label of at most 53 characters.
    props.putObject("name").put("type", "string").put("maxLength", 53).put("pattern", "^[a-z]([-a-z0-9]*[a-z0-9])?$");
    props.putObject("namespace").put("type", "string").put("maxLength", 63)
        .put("pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    props.set("labels", stringMap);
    props.set("annotations", stringMap.deepCopy());
    return m;
  }
}
