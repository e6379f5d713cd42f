package io.geneva.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The targets of issue 13 for fresh processes, as ratios of rows measured in the same run. Which
 * targets apply depends on the corpus: the Python peer is the target on the benchmark corpus; the
 * stat walk, one class changed and the small heap are targets on the scale corpus; the cold-start
 * floors and the correctness conditions are targets on both.
 */
final class FreshChecks {
  static final double UNCHANGED_VS_PYTHON = 0.6;
  static final double UNCHANGED_VS_STAT = 2.0;
  static final double SECOND_SESSION_VS_STAT = 1.0;
  static final double COLD_VS_COPY = 1.5;
  static final double COLD_VS_SHA = 2.0;
  static final double ONE_CLASS_VS_COLD = 0.1;
  static final double SMALL_HEAP_VS_DEFAULT = 1.2;

  /** The second of two unchanged sessions in one JVM. */
  record TwoSessions(long firstMillis, long secondMillis, long secondBytesUploaded, String secondDigest) {}

  /** The relocated run's manifest digest beside the cold run's. */
  record Digests(String relocated, String cold) {}

  private final Map<String, FreshResult.Row> rows;
  private final boolean scale;
  private final Optional<TwoSessions> twoSessions;
  private final Map<String, List<String>> digests;
  private final Optional<Digests> relocated;

  FreshChecks(
      Map<String, FreshResult.Row> rows,
      boolean scale,
      Optional<TwoSessions> twoSessions,
      Map<String, List<String>> digests,
      Optional<Digests> relocated) {
    this.rows = Map.copyOf(rows);
    this.scale = scale;
    this.twoSessions = twoSessions;
    this.digests = Map.copyOf(digests);
    this.relocated = relocated;
  }

  List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    if (!scale) {
      checks.add(ratio("unchanged wall / Python unchanged wall", FreshResult.UNCHANGED, FreshResult.PYTHON,
          UNCHANGED_VS_PYTHON));
    } else {
      checks.add(ratio("unchanged wall / Java stat walk wall", FreshResult.UNCHANGED, FreshResult.STAT,
          UNCHANGED_VS_STAT));
      checks.add(
          Check.atMost(
              "2nd unchanged session in one JVM / stat walk wall",
              twoSessions.map(TwoSessions::secondMillis).orElse(0L),
              twoSessions.isPresent() ? wall(FreshResult.STAT) : OptionalLong.empty(),
              SECOND_SESSION_VS_STAT));
    }
    checks.add(ratio("cold wall / read + SHA-256 + write wall", FreshResult.COLD, FreshResult.COPY, COLD_VS_COPY));
    checks.add(ratio("cold wall / SHA-256 wall", FreshResult.COLD, FreshResult.SHA, COLD_VS_SHA));
    if (scale) {
      checks.add(ratio("one class changed wall / cold wall", FreshResult.ONE_CLASS, FreshResult.COLD,
          ONE_CLASS_VS_COLD));
      long maxUpload = maxUploaded(FreshResult.ONE_CLASS);
      checks.add(
          Check.condition(
              "one class changed: uploaded (largest run)",
              Scenarios.bytes(maxUpload),
              "<= " + Scenarios.bytes(FreshResult.MAX_ONE_CLASS_UPLOAD),
              maxUpload <= FreshResult.MAX_ONE_CLASS_UPLOAD));
      checks.add(ratio("cold wall, " + FreshBench.SMALL_HEAP + " / default heap", FreshResult.COLD_SMALL,
          FreshResult.COLD, SMALL_HEAP_VS_DEFAULT));
      checks.add(ratio("unchanged wall, " + FreshBench.SMALL_HEAP + " / default heap", FreshResult.UNCHANGED_SMALL,
          FreshResult.UNCHANGED, SMALL_HEAP_VS_DEFAULT));
    }
    checks.addAll(correctness());
    return List.copyOf(checks);
  }

  private List<Check> correctness() {
    List<Check> checks = new ArrayList<>();
    List<String> cold = digests.getOrDefault(FreshResult.COLD, List.of());
    checks.add(
        Check.condition(
            "cold manifest digest, every run",
            cold.size() == 1 ? "the same" : "differs: " + String.join(", ", cold),
            "identical",
            cold.size() == 1));
    long unchangedUpload = maxUploaded(FreshResult.UNCHANGED);
    checks.add(
        Check.condition("unchanged: uploaded (largest run)", Scenarios.bytes(unchangedUpload), "== 0",
            unchangedUpload == 0));
    List<String> unchanged = digests.getOrDefault(FreshResult.UNCHANGED, List.of());
    boolean same = unchanged.size() == 1 && cold.size() == 1 && unchanged.equals(cold);
    checks.add(
        Check.condition("unchanged manifest digest", same ? "same as cold" : "differs: " + unchanged, "== cold's",
            same));
    long notebook = maxUploaded(FreshResult.NOTEBOOK);
    checks.add(
        Check.condition(
            "notebook: uploaded, runs " + Scenarios.NOTEBOOK_STEADY_FROM + "-" + Scenarios.NOTEBOOK_RUNS
                + " (largest)",
            Scenarios.bytes(notebook),
            "< " + Scenarios.bytes(Scenarios.NOTEBOOK_MAX_UPLOAD),
            notebook < Scenarios.NOTEBOOK_MAX_UPLOAD));
    relocated.ifPresent(
        d ->
            checks.add(
                Check.condition(
                    "relocated manifest digest",
                    d.relocated().equals(d.cold()) ? "same as cold" : "differs: " + d.relocated(),
                    "== cold's",
                    d.relocated().equals(d.cold()))));
    return checks;
  }

  private Check ratio(String measure, String ours, String baseline, double max) {
    Optional<FreshResult.Row> row = FreshResult.row(rows, ours);
    if (row.isEmpty()) {
      return new Check(measure, "n/a", "-", "-", "<= " + Check.ratio(max), Check.Verdict.NA);
    }
    return Check.atMost(measure, row.get().wall(), wall(baseline), max);
  }

  private OptionalLong wall(String key) {
    Optional<FreshResult.Row> row = FreshResult.row(rows, key);
    return row.isPresent() ? OptionalLong.of(row.get().wall()) : OptionalLong.empty();
  }

  private long maxUploaded(String key) {
    return FreshResult.row(rows, key).map(r -> r.uploaded().stream().mapToLong(Long::longValue).max().orElse(0))
        .orElse(0L);
  }
}
