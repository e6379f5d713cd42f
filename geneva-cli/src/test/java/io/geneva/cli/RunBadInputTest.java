package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code geneva run} ends in one line that names it: exit 2 and a pointer to --help for
 * a usage error (checked before any worker starts), exit 1 for a job that cannot run.
 */
class RunBadInputTest {
  @TempDir Path dir;
  Path classes;

  @BeforeEach
  void setUp() throws IOException {
    classes = TaskFixtures.copyInto(dir.resolve("project").resolve("classes"));
  }

  private Cli.Result run(String... options) {
    List<String> args = new ArrayList<>(List.of(
        "run", "--storage", dir.resolve("storage").toString(), "--home", dir.resolve("home").toString(),
        "--classpath", classes.toString(), "--project-dir", dir.resolve("project").toString()));
    args.addAll(List.of(options));
    return Cli.run(args.toArray(String[]::new));
  }

  private static void assertUsageError(Cli.Result r, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("geneva: ").contains(named).endsWith("; see 'geneva run --help'");
    assertThat(r.out()).isEmpty();
  }

  private static void assertFailure(Cli.Result r, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("geneva: ").contains(named).doesNotContain("at io.geneva");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void zeroPartitions_isAUsageErrorNamingTheOptionAndValue() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "0", "--workers", "1"),
        "--partitions must be at least 1, not 0");
  }

  @Test
  void missingWorkerJava_isAUsageErrorNamingIt() {
    Path java = dir.resolve("no-jdk/bin/java");
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "1", "--workers", "1",
        "--worker-java", java.toString()), "--worker-java " + java + " does not exist", "java executable");
  }

  @Test
  void workerJavaThatIsNotExecutable_isAUsageErrorNamingIt() throws IOException {
    Path notJava = Files.writeString(dir.resolve("java.txt"), "not a program");
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "1", "--workers", "1",
        "--worker-java", notJava.toString()), "--worker-java " + notJava + " is not an executable file");
  }

  @Test
  void negativeWorkers_isAUsageErrorNamingTheOptionAndValue() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--workers", "-3"),
        "--workers must be at least 1, not -3");
  }

  @Test
  void missingJob_isAUsageError() {
    assertUsageError(run("--partitions", "2", "--workers", "1"), "Missing required option", "--job");
  }

  @Test
  void missingPartitions_isAUsageError() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--workers", "1"), "Missing required option",
        "--partitions");
  }

  @Test
  void withoutWorkersOrAClusterSpec_runsOneLocalWorkerPerProcessor_asTheApiDoes() {
    assertThat(RunCommand.localCluster(null).workerCount())
        .isEqualTo(LocalCluster.defaults().workerCount())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(RunCommand.localCluster(3).workerCount()).isEqualTo(3);
  }

  @Test
  void withoutWorkers_theCommandLineParses_andTheJobIsCheckedBeforeAnyWorkerStarts() {
    assertUsageError(run("--job", "not a class", "--partitions", "1"), "--job", "is not a Java class name");
  }

  @Test
  void workersAndAClusterSpec_isAUsageError() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--workers", "1",
        "--cluster-spec", "spec.yaml"), "--workers and --cluster-spec cannot both be given");
  }

  @Test
  void zeroTaskTimeout_isAUsageErrorNamingTheOptionAndValue() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--workers", "1",
        "--task-timeout", "0s"), "--task-timeout must be longer than 0, not PT0S");
  }

  @Test
  void aClusterSpecWithLocalWorkerOptions_isAUsageErrorPointingAtTheSpecFile() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--cluster-spec", "spec.yaml",
        "--exit-policy", "retain"), "--exit-policy and --idle-timeout are for local workers",
        "set exitPolicy and idleTimeout in the spec file");
  }

  // Issue 15 item 13: a missing spec file exited 2 from cluster render but 1 from run.
  @Test
  void aMissingClusterSpec_exits2_likeClusterRender_inOneLineNamingIt() {
    Path missing = dir.resolve("no-such-spec.yaml");

    Cli.Result run = run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--cluster-spec", missing.toString());
    Cli.Result render = Cli.run("cluster", "render", "--spec", missing.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(render.exit()).as(render.err()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("geneva: cluster spec " + missing + " does not exist").doesNotContain("at io.geneva");
    assertThat(run.errLines()).isEqualTo(render.errLines());
    assertThat(dir.resolve("storage")).as("nothing was packaged").doesNotExist();
  }

  @Test
  void aClusterSpecWithAnUnknownField_failsInOneLineNamingItAndTheClosestField() throws IOException {
    Path spec = java.nio.file.Files.writeString(dir.resolve("spec.yaml"),
        "type: kuberay\nname: dev\nimage: example.com/geneva-ray:2.39.0\nworkerGroup: []\n");

    Cli.Result r = run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--cluster-spec", spec.toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("geneva: ").contains(spec.toString(), "workerGroup", "workerGroups")
        .doesNotContain("at io.geneva");
  }

  @Test
  void unknownExitPolicy_isAUsageErrorListingThePolicies() {
    assertUsageError(run("--job", TaskFixtures.SQUARE_TASK, "--partitions", "1", "--workers", "1",
        "--exit-policy", "keep"), "invalid exit policy \"keep\"", "delete, retain, retain-on-failure");
  }

  @Test
  void jobNotAClassName_isAUsageError() {
    assertUsageError(run("--job", "not a class", "--partitions", "1", "--workers", "1"),
        "--job", "\"not a class\" is not a Java class name");
  }

  @Test
  void jobClassNotInTheClasspath_failsWithOneLineNamingTheClassAndTheManifest() {
    Cli.Result r = run("--job", "com.example.Missing", "--partitions", "2", "--workers", "1");

    assertFailure(r, "com.example.Missing", "is not in the shipped classpath", "manifest file:");
  }

  @Test
  void jobClassNotATask_failsWithOneLineSayingSo() {
    Cli.Result r = run("--job", TaskFixtures.NOT_A_TASK, "--partitions", "1", "--workers", "1");

    assertFailure(r, TaskFixtures.NOT_A_TASK, "does not implement io.geneva.Task");
  }
}
