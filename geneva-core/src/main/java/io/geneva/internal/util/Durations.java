package io.geneva.internal.util;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type and read them, for the command line, the Maven plugin and messages: a
 * whole number with {@code s}, {@code m}, {@code h} or {@code d} ({@code 30s}, {@code 10m}, {@code
 * 12h}, {@code 7d}), or ISO-8601 ({@code PT12H}).
 */
public final class Durations {
  /** What a message says a duration may look like. */
  public static final String ACCEPTED = "a number with s, m, h or d, like 10m, or ISO-8601 like PT12H";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  /** The duration {@code text} says, or empty if it is not one (negative ones included). */
  public static Optional<Duration> parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    if (value.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(value)).filter(d -> !d.isNegative());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A duration as it would be typed: {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, {@code 250ms}. */
  public static String typed(Duration d) {
    long s = d.getSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return d.getNano() == 0 ? s + "s" : d.toMillis() + "ms";
  }

  /**
   * A duration as people read one, in its largest whole units: {@code 1 h}, {@code 1 h 30 min},
   * {@code 7 d}, {@code 45 s}, {@code 250 ms}, {@code 0 s}; never ISO-8601's {@code PT1H}.
   */
  public static String readable(Duration duration) {
    if (duration.isNegative()) {
      return "-" + readable(duration.negated());
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
