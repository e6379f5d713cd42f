package io.geneva.cli.bench;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one fresh process cost: its wall time as the bench measured it around the process, the CPU
 * times and peak resident set size that {@code /usr/bin/time -f '%e %U %S %M'} reported (empty where
 * that tool is missing), and what it printed on standard output.
 *
 * @param wallMillis wall time from start to exit, measured by the bench
 * @param userMillis user CPU time, or -1 when unknown
 * @param systemMillis system CPU time, or -1 when unknown
 * @param peakRssKib peak resident set size in KiB, or -1 when unknown
 * @param stdout what the process printed on standard output
 */
record ProcessRun(long wallMillis, long userMillis, long systemMillis, long peakRssKib, String stdout) {
  /** The format passed to {@code /usr/bin/time -f}. */
  static final String TIME_FORMAT = "%e %U %S %M";

  private static final Pattern TIME_LINE =
      Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?) (\\d+(?:\\.\\d+)?) (\\d+(?:\\.\\d+)?) (\\d+)\\s*$", Pattern.MULTILINE);

  /** CPU times and peak RSS read from {@code /usr/bin/time}'s output. */
  record TimeFigures(long wallMillis, long userMillis, long systemMillis, long peakRssKib) {}

  /**
   * Reads the figures from the output of {@code /usr/bin/time -f '%e %U %S %M'}: the last line of
   * that shape (GNU time prints "Command exited with non-zero status N" before it on failure).
   *
   * @throws IllegalArgumentException if no line has that shape
   */
  static TimeFigures parseTime(String output) {
    Matcher m = TIME_LINE.matcher(output);
    TimeFigures last = null;
    while (m.find()) {
      last =
          new TimeFigures(
              seconds(m.group(1)), seconds(m.group(2)), seconds(m.group(3)), Long.parseLong(m.group(4)));
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "/usr/bin/time printed no \"" + TIME_FORMAT + "\" line: " + output.strip());
    }
    return last;
  }

  private static long seconds(String text) {
    return Math.round(Double.parseDouble(text) * 1000);
  }

  OptionalLong peakRss() {
    return peakRssKib < 0 ? OptionalLong.empty() : OptionalLong.of(peakRssKib * 1024);
  }

  /** CPU as {@code user + sys s}, or {@code -}. */
  String cpu() {
    return userMillis < 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f + %.2f s", userMillis / 1000.0, systemMillis / 1000.0);
  }

  /** Peak RSS in MiB, or {@code -}. */
  String rss() {
    return peakRssKib < 0 ? "-" : String.format(Locale.ROOT, "%,d MiB", Math.round(peakRssKib / 1024.0));
  }
}
