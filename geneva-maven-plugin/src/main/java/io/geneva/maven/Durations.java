package io.geneva.maven;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoFailureException;

/** Durations as the CLI reads them: 30s, 10m, 12h, 7d, or ISO-8601 (PT12H); never negative. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  static Duration parse(String option, String text) throws MojoFailureException {
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
    throw new MojoFailureException(option + " (geneva." + option + ") \"" + text + "\" is not a duration;"
        + " use a number with s, m, h or d, like 10m, or ISO-8601 like PT12H");
  }
}
