package io.geneva.cli.bench;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * One measured quantity against its target: a row of a scenario's table.
 *
 * @param measure what is compared
 * @param ours our value, formatted
 * @param baseline the baseline's value, formatted, or {@code -}
 * @param ratio the ratio compared with the target, formatted, or {@code -}
 * @param target the target, formatted
 * @param verdict whether the target was met, or {@link Verdict#NA} when the baseline was not measured
 */
record Check(String measure, String ours, String baseline, String ratio, String target, Verdict verdict) {

  /** Whether a target was met. */
  enum Verdict {
    PASS,
    FAIL,
    /** Not measured (for example, no {@code python3}). */
    NA
  }

  /** Passes when {@code ours / baseline <= maxRatio}. */
  static Check atMost(String measure, long oursMillis, OptionalLong baselineMillis, double maxRatio) {
    String target = "<= " + ratio(maxRatio);
    if (baselineMillis.isEmpty()) {
      return new Check(measure, millis(oursMillis), "n/a", "-", target, Verdict.NA);
    }
    long base = baselineMillis.getAsLong();
    double ratio = (double) oursMillis / Math.max(base, 1);
    return new Check(
        measure, millis(oursMillis), millis(base), ratio(ratio), target, verdict(ratio <= maxRatio));
  }

  /** Passes when we are at least {@code minSpeedup} times faster: {@code baseline / ours >= minSpeedup}. */
  static Check fasterBy(String measure, long oursMillis, OptionalLong baselineMillis, double minSpeedup) {
    String target = ">= " + ratio(minSpeedup) + " faster";
    if (baselineMillis.isEmpty()) {
      return new Check(measure, millis(oursMillis), "n/a", "-", target, Verdict.NA);
    }
    long base = baselineMillis.getAsLong();
    double speedup = (double) base / Math.max(oursMillis, 1);
    return new Check(
        measure, millis(oursMillis), millis(base), ratio(speedup) + " faster", target, verdict(speedup >= minSpeedup));
  }

  /**
   * Passes when {@code ours / baseline <= maxRatio}, for durations of a few milliseconds or less:
   * both shown to a hundredth of a millisecond.
   */
  static Check atMostNanos(String measure, long oursNanos, long baselineNanos, double maxRatio) {
    double ratio = (double) oursNanos / Math.max(baselineNanos, 1);
    return new Check(measure, millis(oursNanos / 1e6), millis(baselineNanos / 1e6), ratio(ratio),
        "<= " + ratio(maxRatio), verdict(ratio <= maxRatio));
  }

  /** A condition with no baseline, such as "nothing was uploaded". */
  static Check condition(String measure, String ours, String target, boolean met) {
    return new Check(measure, ours, "-", "-", target, verdict(met));
  }

  private static Verdict verdict(boolean met) {
    return met ? Verdict.PASS : Verdict.FAIL;
  }

  static String millis(long ms) {
    return String.format(Locale.ROOT, "%,d ms", ms);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%,.2f ms", ms);
  }

  static String ratio(double r) {
    return r >= 10 || r == Math.rint(r)
        ? String.format(Locale.ROOT, "%.1fx", r)
        : String.format(Locale.ROOT, "%.2fx", r);
  }
}
