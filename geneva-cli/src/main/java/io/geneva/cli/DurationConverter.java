package io.geneva.cli;

import io.geneva.internal.util.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people type one ({@link Durations#parse}): {@code 30s}, {@code 10m}, {@code
 * 12h}, {@code 7d}, or ISO-8601 ({@code PT12H}). Negative durations are refused.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    return Durations.parse(text).orElseThrow(() -> new TypeConversionException(
        "invalid duration \"" + text + "\": use a number with s, m, h or d, like 7d, or ISO-8601 like PT12H"));
  }

  /** A duration as people read one ({@link Durations#readable}): {@code 1 h 30 min}, never {@code PT1H30M}. */
  static String format(Duration duration) {
    return Durations.readable(duration);
  }
}
