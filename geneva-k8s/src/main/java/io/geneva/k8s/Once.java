package io.geneva.k8s;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Refuses a builder option set twice, naming the value it already has. */
final class Once {
  private final Map<String, Object> set = new HashMap<>();

  void check(String option, Object value) {
    Objects.requireNonNull(value, option);
    Object earlier = set.putIfAbsent(option, value);
    if (earlier != null) {
      throw new IllegalStateException(option + " was already set to " + earlier);
    }
  }
}
