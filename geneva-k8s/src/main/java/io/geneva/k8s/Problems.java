package io.geneva.k8s;

import io.geneva.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a spec, each problem named by the path of its field, so one error
 * reports every problem at once.
 */
final class Problems {
  private final List<String> items = new ArrayList<>();

  /** Records a problem of the field at {@code path} (empty for the whole spec). */
  void add(String path, String message) {
    items.add(path.isEmpty() ? message : path + ": " + message);
  }

  /** Records a problem whose message names its place itself. */
  void addText(String message) {
    items.add(message);
  }

  void addAll(List<String> problems) {
    items.addAll(problems);
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  List<String> list() {
    return List.copyOf(items);
  }

  /** Throws one exception listing every problem, if there is any. */
  void throwIfAny(String subject) {
    if (!items.isEmpty()) {
      throw exception(subject, items);
    }
  }

  static ConfigurationException exception(String subject, List<String> problems) {
    if (problems.size() == 1) {
      return new ConfigurationException(subject + ": " + problems.get(0));
    }
    return new ConfigurationException(
        subject + " has " + problems.size() + " problems:\n  - " + String.join("\n  - ", problems));
  }

  /** The path of a field of the object at {@code parent}. */
  static String field(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** The path of an element of the list at {@code parent}. */
  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  /** The path of an entry of the map at {@code parent}. */
  static String key(String parent, String key) {
    return parent + "[\"" + key + "\"]";
  }
}
