package io.geneva.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The targets of issue 14 for the workers bench, as ratios of runs measured in the same bench, and
 * its correctness conditions: retained workers reused, the class-data cache used where it should be
 * and skipped, with the run still correct, where its JDK does not match.
 */
final class WorkerChecks {
  static final double FRESH_VS_JAVA = 4.0;
  static final double RETAINED_VS_JAVA = 2.0;
  static final double CACHE_VS_CLASS_PATH = 0.6;
  /** The JDK whose AOT cache (JEP 483/514/515) the cache target is for. */
  static final int AOT_FEATURE = 24;
  /** How a worker report's class-data line starts when a worker uses a cache, and when it skips one. */
  static final String USING = "using class data";
  static final String SKIPPED = "skipped class data";

  private WorkerChecks() {}

  /** Trivial task: {@code geneva run} on fresh and on retained workers against a bare {@code java}. */
  static List<Check> trivial(long freshWall, long retainedWall, long bareJavaWall, List<RunOutput> retainedRuns) {
    return List.of(
        Check.atMost("trivial task, fresh workers: geneva run wall / bare java wall", freshWall,
            OptionalLong.of(bareJavaWall), FRESH_VS_JAVA),
        Check.atMost("trivial task, retained workers: geneva run wall / bare java wall", retainedWall,
            OptionalLong.of(bareJavaWall), RETAINED_VS_JAVA),
        reused(retainedRuns));
  }

  /** Every measured run on retained workers found all of them ready, fetching nothing. */
  static Check reused(List<RunOutput> runs) {
    long workers = runs.stream().mapToLong(r -> r.workers().size()).sum();
    long warm = runs.stream().flatMap(r -> r.workers().stream())
        .filter(w -> w.alreadyReady() && w.packagesFetched() == 0).count();
    boolean met = !runs.isEmpty() && runs.stream().allMatch(r -> r.workers().size() == WorkerBench.WORKERS)
        && warm == workers;
    return Check.condition("retained workers reused by every measured run", warm + " of " + workers + " warm",
        "all warm, 0 fetched", met);
  }

  /**
   * Heavy task: first result with the class-data cache against the class path alone. The ratio is a
   * target on JDK 24 and later only (the AOT cache); on older workers it is shown and not judged.
   */
  static List<Check> heavy(long cacheFirst, long classPathFirst, WorkerJdk jdk, List<RunOutput> cacheRuns) {
    List<Check> checks = new ArrayList<>();
    String measure = "heavy task, fresh workers: first result, class-data cache / class path";
    Check ratio = Check.atMost(measure, cacheFirst, OptionalLong.of(classPathFirst), CACHE_VS_CLASS_PATH);
    if (jdk.feature() < AOT_FEATURE) {
      ratio = new Check(measure + " (n/a: workers run JDK " + jdk.feature() + ", the target is for JDK 25)",
          ratio.ours(), ratio.baseline(), ratio.ratio(), ratio.target() + " on JDK 25", Check.Verdict.NA);
    }
    checks.add(ratio);
    long using = cacheRuns.stream().filter(r -> r.everyWorkerClassData(USING)).count();
    checks.add(Check.condition("heavy task: every measured cache run's workers used the cache",
        using + " of " + cacheRuns.size() + " runs", "all runs", !cacheRuns.isEmpty() && using == cacheRuns.size()));
    return checks;
  }

  /**
   * What the mismatch check saw: a cache trained on one JDK, then a run on another.
   *
   * @param trained the JDK the cache was trained on
   * @param other the JDK of the run that must skip it
   * @param stored whether the trained cache was stored before the other run
   * @param run the other run's report, or empty if it failed
   * @param failure why the other run failed, or empty
   */
  record Mismatch(WorkerJdk trained, WorkerJdk other, boolean stored, Optional<RunOutput> run, String failure) {}

  /** The run on the other JDK ran correctly, and each of its workers says it skipped the cache. */
  static Check mismatch(Mismatch m, List<String> expectedResults) {
    String measure = "cache trained on JDK " + m.trained().feature() + ", run on JDK " + m.other().feature()
        + ": correct, cache skipped with a reason";
    String target = "results " + expectedResults + "; every worker: \"" + SKIPPED + ": ...\"";
    if (m.run().isEmpty()) {
      return Check.condition(measure, "the run failed: " + m.failure(), target, false);
    }
    RunOutput r = m.run().get();
    boolean correct = r.results().equals(expectedResults);
    boolean skipped = r.everyWorkerClassData(SKIPPED);
    String ours = (correct ? "correct" : "results " + r.results()) + ", " + (skipped ? "skipped" : "class data: "
        + r.workers().stream().map(RunOutput.Worker::classData).distinct().toList())
        + (m.stored() ? "" : " (the trained cache was not stored in time)");
    return Check.condition(measure, ours, target, m.stored() && correct && skipped);
  }

  /**
   * Why the mismatch check cannot run with these JDKs, if it cannot: a manifest packaged on one Java
   * runs only on workers of that Java or newer, and the CLI packages on the workers' JDK (as the
   * bench runs it), so the other JDK must not be older.
   */
  static Optional<String> mismatchImpossible(WorkerJdk trained, WorkerJdk other) {
    if (other.feature() < trained.feature()) {
      return Optional.of("a manifest packaged on JDK " + trained.feature() + " does not run on JDK " + other.feature()
          + " workers; run the bench with JDK " + other.feature() + " as the CLI's and --worker-java, and JDK "
          + trained.feature() + " as --other-java");
    }
    return Optional.empty();
  }

  /** A check that could not run, with why. */
  static Check notMeasured(String measure, String why, String target) {
    return new Check(measure, "n/a: " + why, "-", "-", target, Check.Verdict.NA);
  }
}
