package io.geneva.k8s;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in spec files: {@code 90s}, {@code 10m}, {@code 1h30m}, or ISO-8601. */
final class DurationText {
  private static final Pattern WHOLE = Pattern.compile("([0-9]+(ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  private DurationText() {}

  /** The duration, or empty if the text is neither form. */
  static Optional<Duration> parse(String text) {
    if (WHOLE.matcher(text).matches()) {
      Duration total = Duration.ZERO;
      Matcher m = PART.matcher(text);
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
      }
      return Optional.of(total);
    }
    try {
      return Optional.of(Duration.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The shortest of the first form that says the same: {@code 10m}, {@code 1h30m}, {@code 90s}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long seconds = d.getSeconds();
    if (seconds / 3600 > 0) {
      b.append(seconds / 3600).append('h');
    }
    if (seconds % 3600 / 60 > 0) {
      b.append(seconds % 3600 / 60).append('m');
    }
    if (seconds % 60 > 0) {
      b.append(seconds % 60).append('s');
    }
    if (d.getNano() > 0) {
      b.append(d.getNano() / 1_000_000).append("ms");
    }
    return b.toString();
  }
}
