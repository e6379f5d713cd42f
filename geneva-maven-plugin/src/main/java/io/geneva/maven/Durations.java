package io.geneva.maven;

import java.time.Duration;
import org.apache.maven.plugin.MojoFailureException;

/** Durations as the CLI reads them: 30s, 10m, 12h, 7d, or ISO-8601 (PT12H); never negative. */
final class Durations {
  private Durations() {}

  static Duration parse(String option, String text) throws MojoFailureException {
    var parsed = io.geneva.internal.util.Durations.parse(text);
    if (parsed.isEmpty()) {
      throw new MojoFailureException(option + " (geneva." + option + ") \"" + text + "\" is not a duration;"
          + " use " + io.geneva.internal.util.Durations.ACCEPTED);
    }
    return parsed.get();
  }
}
