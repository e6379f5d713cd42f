package io.geneva.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Medians of repeated measurements. */
final class Stats {
  private Stats() {}

  /** The median; for an even count, the mean of the middle two, rounded down. */
  static long median(List<Long> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The item whose value is closest to the median (the run whose breakdown represents the runs). */
  static <T> T medianItem(List<T> items, ToLongFunction<T> value) {
    List<Long> values = items.stream().map(value::applyAsLong).toList();
    long median = median(values);
    T best = items.get(0);
    for (T item : items) {
      if (Math.abs(value.applyAsLong(item) - median) < Math.abs(value.applyAsLong(best) - median)) {
        best = item;
      }
    }
    return best;
  }

  /** Repeats a measurement {@code runs} times and returns every result. */
  static List<Long> repeat(int runs, java.util.function.LongSupplier measurement) {
    List<Long> results = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      results.add(measurement.getAsLong());
    }
    return results;
  }
}
