package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386), the semantics of {@code kubectl patch --type merge}: objects merge
 * field by field, {@code null} deletes a field, and anything else (arrays included) replaces.
 */
final class MergePatch {
  private MergePatch() {}

  /** The target with the patch applied; neither argument is changed. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target.isObject()
        ? ((ObjectNode) target).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode existing = result.get(field.getKey());
        result.set(field.getKey(),
            apply(existing == null ? MissingNode.getInstance() : existing, field.getValue()));
      }
    }
    return result;
  }
}
