package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreshChecksTest {
  private final Map<String, FreshResult.Row> rows = new LinkedHashMap<>();

  @Test
  void corpus_unchangedIsComparedWithPython_asMediansOfWallTimes() {
    row(FreshResult.UNCHANGED, 0, 500, 900, 400);
    row(FreshResult.PYTHON, 0, 1000);

    Check check = find(checks(false), "unchanged wall / Python unchanged wall");

    assertThat(check.ours()).isEqualTo("500 ms");
    assertThat(check.ratio()).isEqualTo("0.50x");
    assertThat(check.verdict()).isEqualTo(Check.Verdict.PASS);
  }

  @Test
  void corpus_unchangedAboveTheTarget_fails() {
    row(FreshResult.UNCHANGED, 0, 700);
    row(FreshResult.PYTHON, 0, 1000);

    assertThat(find(checks(false), "unchanged wall / Python unchanged wall").verdict())
        .isEqualTo(Check.Verdict.FAIL);
  }

  @Test
  void coldFloors_areTargetsOnBothCorpora() {
    row(FreshResult.COLD, 236L << 20, 3000);
    row(FreshResult.COPY, 0, 2000);
    row(FreshResult.SHA, 0, 1600);

    for (boolean scale : new boolean[] {false, true}) {
      List<Check> checks = checks(scale);
      assertThat(find(checks, "cold wall / read + SHA-256 + write wall").verdict()).isEqualTo(Check.Verdict.PASS);
      assertThat(find(checks, "cold wall / SHA-256 wall").verdict()).isEqualTo(Check.Verdict.PASS);
    }
  }

  @Test
  void scale_checksStatWalkSecondSessionOneClassAndSmallHeap() {
    row(FreshResult.STAT, 0, 400);
    row(FreshResult.UNCHANGED, 0, 900);
    row(FreshResult.UNCHANGED_SMALL, 0, 1000);
    row(FreshResult.COLD, 5L << 30, 10_000);
    row(FreshResult.COLD_SMALL, 5L << 30, 13_000);
    row(FreshResult.ONE_CLASS, 2L << 20, 900);

    List<Check> checks =
        new FreshChecks(rows, true, Optional.of(new FreshChecks.TwoSessions(1500, 300, 0, "d")), Map.of(),
                Optional.empty())
            .checks();

    assertThat(find(checks, "unchanged wall / Java stat walk wall").verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(find(checks, "2nd unchanged session in one JVM / stat walk wall").verdict())
        .isEqualTo(Check.Verdict.PASS);
    assertThat(find(checks, "one class changed wall / cold wall").verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(find(checks, "one class changed: uploaded (largest run)").verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(find(checks, "cold wall, -Xmx256m / default heap").verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(find(checks, "unchanged wall, -Xmx256m / default heap").verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(checks).noneMatch(c -> c.measure().contains("Python"));
  }

  @Test
  void missingBaseline_isNotMeasured_notPassed() {
    row(FreshResult.UNCHANGED, 0, 500);

    assertThat(find(checks(false), "unchanged wall / Python unchanged wall").verdict()).isEqualTo(Check.Verdict.NA);
  }

  @Test
  void correctness_manifestsAndUploads() {
    row(FreshResult.UNCHANGED, 10, 500);
    row(FreshResult.NOTEBOOK, 40_000, 500);

    List<Check> checks =
        new FreshChecks(
                rows,
                false,
                Optional.empty(),
                Map.of(FreshResult.COLD, List.of("a"), FreshResult.UNCHANGED, List.of("a")),
                Optional.of(new FreshChecks.Digests("b", "a")))
            .checks();

    assertThat(find(checks, "cold manifest digest, every run").verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(find(checks, "unchanged manifest digest").verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(find(checks, "unchanged: uploaded (largest run)").verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(find(checks, "notebook: uploaded, runs 4-6 (largest)").verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(find(checks, "relocated manifest digest").verdict()).isEqualTo(Check.Verdict.FAIL);
  }

  private List<Check> checks(boolean scale) {
    return new FreshChecks(rows, scale, Optional.empty(), Map.of(), Optional.empty()).checks();
  }

  private void row(String key, long uploaded, long... walls) {
    List<ProcessRun> runs =
        java.util.Arrays.stream(walls).mapToObj(w -> new ProcessRun(w, -1, -1, -1, "")).toList();
    rows.put(key, new FreshResult.Row(key, key, runs, List.of(), runs.stream().map(r -> uploaded).toList()));
  }

  private static Check find(List<Check> checks, String measure) {
    return checks.stream()
        .filter(c -> c.measure().equals(measure))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + measure + " in " + checks));
  }
}
