package io.geneva.k8s;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word a mistyped one most likely meant, for "did you mean" hints. */
final class Closest {
  private Closest() {}

  /**
   * The known word closest to {@code given}, if one is close enough to be a likely typo: equal but
   * for case, '-' and '_', or within a small edit distance that grows with the word's length.
   */
  static Optional<String> match(String given, Collection<String> known) {
    String normalized = normalize(given);
    for (String k : known) {
      if (normalize(k).equals(normalized)) {
        return Optional.of(k);
      }
    }
    int limit = given.length() <= 3 ? 1 : given.length() <= 6 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
  }

  /** " did you mean ...?" or "" when nothing is close. */
  static String hint(String given, Collection<String> known) {
    return match(given, known).map(k -> "; did you mean \"" + k + "\"?").orElse("");
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static String normalize(String s) {
    return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }
}
