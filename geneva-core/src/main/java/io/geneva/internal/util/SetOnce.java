package io.geneva.internal.util;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A builder's record of the options already set: each option may be set once, and a second call is an
 * {@link IllegalStateException} naming the value it already has (Caffeine's rule). Not thread-safe, as
 * builders are not.
 */
public final class SetOnce {
  private final Map<String, Object> set = new HashMap<>();

  /**
   * Records {@code option} as set to {@code value}.
   *
   * @return {@code value}
   * @throws NullPointerException naming the option if {@code value} is null
   * @throws IllegalStateException if the option was set before
   */
  public <T> T set(String option, T value) {
    Objects.requireNonNull(value, option);
    Object earlier = set.putIfAbsent(option, value);
    if (earlier != null) {
      throw new IllegalStateException(option + " was already set to " + earlier);
    }
    return value;
  }

  /** Whether {@code option} has been set. */
  public boolean isSet(String option) {
    return set.containsKey(option);
  }
}
