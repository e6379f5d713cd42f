package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mapping of a spec file, read field by field with the type each field needs. A field of the
 * wrong type, and a field that is not known, are recorded as problems naming the field's path; the
 * reader returns empty for them and reading goes on, so one error lists every problem. A field
 * given as {@code null} (or with no value) counts as absent.
 */
final class YamlObject {
  private final ObjectNode node;
  private final String path;
  private final Problems problems;

  private YamlObject(ObjectNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** Reads this mapping, recording each of its fields that is not among {@code known}. */
  static YamlObject of(ObjectNode node, String path, Problems problems, List<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String place = path.isEmpty() ? "at top level" : "in " + path;
        String hint = Closest.match(name, known)
            .map(k -> "; did you mean \"" + k + "\"?")
            .orElse("; known fields: " + String.join(", ", known));
        problems.addText("unknown field \"" + name + "\" " + place + hint);
      }
    }
    return new YamlObject(node, path, problems);
  }

  String path(String field) {
    return Problems.field(path, field);
  }

  private Optional<JsonNode> value(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  private void wrongType(String field, String expected, JsonNode got, String fix) {
    problems.add(path(field), "expected " + expected + ", got " + describe(got) + fix);
  }

  /** A string; numbers are refused so that {@code 2.40} does not silently become {@code 2.4}. */
  Optional<String> text(String field) {
    return value(field).flatMap(v -> {
      if (v.isTextual()) {
        return Optional.of(v.textValue());
      }
      wrongType(field, "a string", v, v.isNumber() || v.isBoolean() ? "; quote it: \"" + v.asText() + "\"" : "");
      return Optional.empty();
    });
  }

  /** A whole number that fits an {@code int}. */
  Optional<Integer> integer(String field) {
    return value(field).flatMap(v -> {
      if (v.isIntegralNumber() && v.canConvertToInt()) {
        return Optional.of(v.intValue());
      }
      wrongType(field, "a whole number", v, "");
      return Optional.empty();
    });
  }

  /** {@code true} or {@code false}. */
  Optional<Boolean> bool(String field) {
    return value(field).flatMap(v -> {
      if (v.isBoolean()) {
        return Optional.of(v.booleanValue());
      }
      wrongType(field, "true or false", v, "");
      return Optional.empty();
    });
  }

  /** A Kubernetes quantity, written as a number ({@code 4}, {@code 0.5}) or a string ({@code 8Gi}). */
  Optional<String> quantity(String field) {
    return value(field).flatMap(v -> {
      if (v.isTextual() || v.isNumber()) {
        return Optional.of(v.asText());
      }
      wrongType(field, "a Kubernetes quantity (a number, or a string such as \"500m\" or \"8Gi\")", v, "");
      return Optional.empty();
    });
  }

  /** A duration: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2h}, or ISO-8601 ({@code PT10M}). */
  Optional<Duration> duration(String field) {
    String expected = "a duration such as 90s, 10m, 2h or PT10M";
    return value(field).flatMap(v -> {
      if (!v.isTextual()) {
        wrongType(field, expected, v, v.isNumber() ? "; add a unit, such as \"" + v.asText() + "s\"" : "");
        return Optional.empty();
      }
      Optional<Duration> d = DurationText.parse(v.textValue());
      if (d.isEmpty()) {
        wrongType(field, expected, v, "");
      }
      return d;
    });
  }

  /**
   * A mapping of strings to strings. Whole numbers and booleans are taken as their text ({@code
   * true} is {@code "true"}); fractions are refused, as {@code 1.10} would become {@code "1.1"}.
   */
  Optional<Map<String, String>> stringMap(String field) {
    return value(field).flatMap(v -> {
      if (!v.isObject()) {
        wrongType(field, "a mapping of names to strings", v, "");
        return Optional.empty();
      }
      Map<String, String> out = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode x = e.getValue();
        if (x.isTextual() || x.isBoolean() || x.isIntegralNumber()) {
          out.put(e.getKey(), x.asText());
        } else {
          problems.add(Problems.key(path(field), e.getKey()), "expected a string, got " + describe(x)
              + (x.isNumber() ? "; quote it: \"" + x.asText() + "\"" : ""));
          ok = false;
        }
      }
      return ok ? Optional.of(out) : Optional.empty();
    });
  }

  /** A nested mapping with these known fields. */
  Optional<YamlObject> object(String field, List<String> known) {
    return value(field).flatMap(v -> {
      if (v.isObject()) {
        return Optional.of(of((ObjectNode) v, path(field), problems, known));
      }
      wrongType(field, "a mapping with fields " + String.join(", ", known), v, "");
      return Optional.empty();
    });
  }

  /** A list of mappings, each with these known fields. */
  Optional<List<YamlObject>> objects(String field, List<String> known) {
    return value(field).flatMap(v -> {
      if (!v.isArray()) {
        wrongType(field, "a list of mappings", v, "");
        return Optional.empty();
      }
      List<YamlObject> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        String elementPath = Problems.index(path(field), i);
        if (v.get(i).isObject()) {
          out.add(of((ObjectNode) v.get(i), elementPath, problems, known));
        } else {
          problems.add(elementPath, "expected a mapping with fields " + String.join(", ", known) + ", got "
              + describe(v.get(i)));
        }
      }
      return Optional.of(out);
    });
  }

  /** The field as it is, for what is read by shape (not type). */
  Optional<JsonNode> raw(String field) {
    return value(field);
  }

  void problem(String field, String message) {
    problems.add(path(field), message);
  }

  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "a string (\"" + v.textValue() + "\")";
    }
    if (v.isNumber()) {
      return "a number (" + v.asText() + ")";
    }
    if (v.isBoolean()) {
      return "a boolean (" + v.asText() + ")";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
