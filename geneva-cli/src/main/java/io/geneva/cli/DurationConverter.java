package io.geneva.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people type one: a whole number with {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 30s}, {@code 10m}, {@code 12h}, {@code 7d}), or ISO-8601 ({@code PT12H}).
 * Negative durations are refused.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

  @Override
  public Duration convert(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (value.startsWith("p")) {
      try {
        Duration d = Duration.parse(value);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // Reported below with the accepted forms.
      }
    }
    throw new TypeConversionException(
        "invalid duration \"" + text + "\": use a number with s, m, h or d, like 7d, or ISO-8601 like PT12H");
  }

  /**
   * A duration as people read one, in its largest whole units: {@code 1 h}, {@code 1 h 30 min},
   * {@code 7 d}, {@code 45 s}, {@code 250 ms}, {@code 0 s}; never ISO-8601's {@code PT1H}.
   */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.isZero()) {
      return "0 s";
    }
    StringBuilder out = new StringBuilder();
    part(out, duration.toDaysPart(), "d");
    part(out, duration.toHoursPart(), "h");
    part(out, duration.toMinutesPart(), "min");
    part(out, duration.toSecondsPart(), "s");
    part(out, duration.toMillisPart(), "ms");
    return out.length() == 0 ? duration.toNanos() + " ns" : out.toString();
  }

  private static void part(StringBuilder out, long n, String unit) {
    if (n != 0) {
      out.append(out.length() == 0 ? "" : " ").append(n).append(' ').append(unit);
    }
  }
}
