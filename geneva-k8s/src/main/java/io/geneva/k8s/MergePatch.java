package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386), the semantics of {@code kubectl patch --type merge}: objects merge
 * field by field, {@code null} deletes a field, and anything else (arrays included) replaces.
 * {@link #diff} computes the patch that turns one document into another.
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

  /**
   * The merge patch that turns {@code from} into {@code to}: {@code apply(from, diff(from, to))}
   * equals {@code to}, up to numbers written differently ({@code 2} and {@code 2.0} are equal here,
   * as they are to the API server). An empty object when they are equal already.
   */
  static ObjectNode diff(ObjectNode from, ObjectNode to) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : from.properties()) {
      if (!to.has(field.getKey())) {
        patch.putNull(field.getKey());
      }
    }
    for (Map.Entry<String, JsonNode> field : to.properties()) {
      JsonNode before = from.get(field.getKey());
      JsonNode after = field.getValue();
      if (before != null && before.isObject() && after.isObject()) {
        ObjectNode inner = diff((ObjectNode) before, (ObjectNode) after);
        if (!inner.isEmpty()) {
          patch.set(field.getKey(), inner);
        }
      } else if (before == null || !same(before, after)) {
        patch.set(field.getKey(), after.deepCopy());
      }
    }
    return patch;
  }

  /** Equal as JSON values, with numbers compared by value. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : a.properties()) {
        JsonNode other = b.get(field.getKey());
        if (other == null || !same(field.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
