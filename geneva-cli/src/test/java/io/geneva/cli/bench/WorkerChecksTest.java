package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerChecksTest {
  private static final WorkerJdk JDK17 = new WorkerJdk(Path.of("/usr/bin/java"), "17.0.17+10-Debian-1", "Debian");
  private static final WorkerJdk JDK25 =
      new WorkerJdk(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"), "25.0.1+8-LTS", "Eclipse Adoptium");

  @Test
  void trivial_freshIsComparedWithFourAndRetainedWithTwoTimesTheBareJava() {
    List<Check> checks = WorkerChecks.trivial(1100, 500, 300, List.of(warm(), warm()));

    assertThat(checks.get(0).measure()).contains("fresh workers");
    assertThat(checks.get(0).ratio()).isEqualTo("3.67x");
    assertThat(checks.get(0).target()).isEqualTo("<= 4.0x");
    assertThat(checks.get(0).verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(checks.get(1).measure()).contains("retained workers");
    assertThat(checks.get(1).ratio()).isEqualTo("1.67x");
    assertThat(checks.get(1).verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(checks.get(2).verdict()).isEqualTo(Check.Verdict.PASS);
  }

  @Test
  void trivial_aboveTheTargets_fails() {
    List<Check> checks = WorkerChecks.trivial(2400, 700, 300, List.of(warm()));

    assertThat(checks.get(0).verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(checks.get(1).verdict()).isEqualTo(Check.Verdict.FAIL);
  }

  @Test
  void reused_failsWhenAnyRetainedRunStartedOrFetched() {
    RunOutput fetched = output("", new RunOutput.Worker("local-1", 1, 1, 500, false, ""),
        new RunOutput.Worker("local-2", 2, 0, 0, true, ""));

    Check check = WorkerChecks.reused(List.of(warm(), fetched));

    assertThat(check.ours()).isEqualTo("3 of 4 warm");
    assertThat(check.verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(WorkerChecks.reused(List.of()).verdict()).isEqualTo(Check.Verdict.FAIL);
    assertThat(WorkerChecks.reused(List.of(output("", new RunOutput.Worker("local-1", 1, 0, 0, true, ""))))
        .verdict()).as("one worker of two").isEqualTo(Check.Verdict.FAIL);
  }

  @Test
  void heavy_onJdk25_isJudgedAgainstSixTenthsOfTheClassPathRun() {
    RunOutput used = output("using class data 0123 (AOT cache)");

    List<Check> pass = WorkerChecks.heavy(5000, 10000, JDK25, List.of(used, used));
    List<Check> fail = WorkerChecks.heavy(7000, 10000, JDK25, List.of(used));

    assertThat(pass.get(0).ratio()).isEqualTo("0.50x");
    assertThat(pass.get(0).verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(pass.get(1).verdict()).isEqualTo(Check.Verdict.PASS);
    assertThat(fail.get(0).verdict()).isEqualTo(Check.Verdict.FAIL);
  }

  @Test
  void heavy_onJdk17_showsTheRatioButDoesNotJudgeIt() {
    List<Check> checks = WorkerChecks.heavy(9000, 10000, JDK17, List.of(output("using class data 0123 (CDS)")));

    assertThat(checks.get(0).verdict()).isEqualTo(Check.Verdict.NA);
    assertThat(checks.get(0).ratio()).isEqualTo("0.90x");
    assertThat(checks.get(0).measure()).contains("n/a: workers run JDK 17, the target is for JDK 25");
  }

  @Test
  void heavy_cacheNotUsedByEveryRun_fails() {
    List<Check> checks = WorkerChecks.heavy(5000, 10000, JDK25,
        List.of(output("using class data 0123"), output("no class data yet for this manifest")));

    assertThat(checks.get(1).ours()).isEqualTo("1 of 2 runs");
    assertThat(checks.get(1).verdict()).isEqualTo(Check.Verdict.FAIL);
  }

  @Test
  void mismatch_passesWhenTheRunIsCorrectAndEveryWorkerSaysItSkippedTheCache() {
    RunOutput skipped = output("skipped class data: stored only for JDK 25, workers run JDK 17");

    Check check = WorkerChecks.mismatch(
        new WorkerChecks.Mismatch(JDK25, JDK17, true, Optional.of(skipped), ""), List.of("0", "1"));

    assertThat(check.measure()).contains("trained on JDK 25, run on JDK 17");
    assertThat(check.ours()).isEqualTo("correct, skipped");
    assertThat(check.verdict()).isEqualTo(Check.Verdict.PASS);
  }

  @Test
  void mismatch_failsWhenTheRunFailed_usedTheCache_gaveWrongResults_orNothingWasStored() {
    RunOutput skipped = output("skipped class data: stored only for JDK 25, workers run JDK 17");
    RunOutput used = output("using class data 0123");
    List<String> expected = List.of("0", "1");

    Check failed = WorkerChecks.mismatch(
        new WorkerChecks.Mismatch(JDK25, JDK17, true, Optional.empty(), "exit 1: boom"), expected);
    Check usedIt = WorkerChecks.mismatch(new WorkerChecks.Mismatch(JDK25, JDK17, true, Optional.of(used), ""), expected);
    Check wrong = WorkerChecks.mismatch(new WorkerChecks.Mismatch(JDK25, JDK17, true, Optional.of(skipped), ""),
        List.of("1", "0"));
    Check notStored = WorkerChecks.mismatch(
        new WorkerChecks.Mismatch(JDK25, JDK17, false, Optional.of(skipped), ""), expected);

    assertThat(failed.ours()).contains("the run failed: exit 1: boom");
    assertThat(usedIt.ours()).contains("class data: [using class data 0123]");
    assertThat(wrong.ours()).contains("results [0, 1]");
    assertThat(notStored.ours()).contains("not stored in time");
    assertThat(List.of(failed, usedIt, wrong, notStored)).extracting(Check::verdict).containsOnly(Check.Verdict.FAIL);
  }

  @Test
  void mismatch_cannotRunOnAnOlderJdk_whichCannotRunTheManifestAtAll() {
    assertThat(WorkerChecks.mismatchImpossible(JDK17, JDK25)).isEmpty();
    assertThat(WorkerChecks.mismatchImpossible(JDK25, JDK17)).hasValueSatisfying(why -> assertThat(why)
        .contains("a manifest packaged on JDK 25 does not run on JDK 17 workers", "JDK 25 as --other-java"));
  }

  private static RunOutput warm() {
    return output("", new RunOutput.Worker("local-1", 1, 0, 0, true, ""), new RunOutput.Worker("local-2", 2, 0, 0, true,
        ""));
  }

  private static RunOutput output(String classData) {
    return output("", new RunOutput.Worker("local-1", 1, 0, 300, false, classData),
        new RunOutput.Worker("local-2", 2, 0, 300, false, classData));
  }

  private static RunOutput output(String unused, RunOutput.Worker... workers) {
    return new RunOutput(100, 120, 10, List.of("0", "1"), List.of(workers), Map.of());
  }
}
