package io.geneva.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The baselines measured in this run, in milliseconds, every run kept.
 *
 * @param files how many files the Java baselines read
 * @param bytes how many bytes they read
 * @param read reading every byte on one thread
 * @param sha256OneThread SHA-256 of every byte on one thread
 * @param sha256TwoThreads SHA-256 of every byte on two threads
 * @param pythonWarm the Python "Geneva method", warm; empty when not measured
 * @param pythonCold the Python "Geneva method", cold; empty when not measured
 * @param pythonWarmNote why the warm Python baseline is missing, or empty
 * @param pythonColdNote why the cold Python baseline is missing, or empty
 */
record Baselines(
    int files,
    long bytes,
    List<Long> read,
    List<Long> sha256OneThread,
    List<Long> sha256TwoThreads,
    List<Long> pythonWarm,
    List<Long> pythonCold,
    String pythonWarmNote,
    String pythonColdNote) {

  Baselines {
    read = List.copyOf(read);
    sha256OneThread = List.copyOf(sha256OneThread);
    sha256TwoThreads = List.copyOf(sha256TwoThreads);
    pythonWarm = List.copyOf(pythonWarm);
    pythonCold = List.copyOf(pythonCold);
  }

  long sha256TwoThreadsMillis() {
    return Stats.median(sha256TwoThreads);
  }

  OptionalLong pythonWarmMillis() {
    return medianOf(pythonWarm);
  }

  OptionalLong pythonColdMillis() {
    return medianOf(pythonCold);
  }

  private static OptionalLong medianOf(List<Long> runs) {
    return runs.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Stats.median(runs));
  }

  /** One row per baseline: label, median runs and a note, in the order they are printed. */
  record Row(String key, String label, List<Long> runs, String note) {
    OptionalLong median() {
      return medianOf(runs);
    }
  }

  List<Row> rows() {
    return List.of(
        new Row("javaReadOneThread", "Java: read every byte, 1 thread", read, ""),
        new Row("javaSha256OneThread", "Java: SHA-256 of every byte, 1 thread", sha256OneThread, ""),
        new Row("javaSha256TwoThreads", "Java: SHA-256 of every byte, 2 threads", sha256TwoThreads, ""),
        new Row("pythonWarm", "Python \"Geneva method\", warm: checksum only", pythonWarm, pythonWarmNote),
        new Row(
            "pythonCold", "Python \"Geneva method\", cold: checksum + zip -1 per root", pythonCold, pythonColdNote));
  }

  Map<String, Object> toData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("files", files);
    data.put("bytes", bytes);
    for (Row row : rows()) {
      Map<String, @Nullable Object> r = new LinkedHashMap<>();
      r.put("medianMillis", row.median().isPresent() ? row.median().getAsLong() : null);
      r.put("runsMillis", row.runs());
      if (!row.note().isEmpty()) {
        r.put("note", row.note());
      }
      data.put(row.key(), r);
    }
    return data;
  }
}
