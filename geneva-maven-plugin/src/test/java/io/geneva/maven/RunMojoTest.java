package io.geneva.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geneva:run}: one real run on local worker JVMs, and every bad input, each failing before any
 * worker starts.
 */
class RunMojoTest {
  @TempDir Path dir;
  final RecordingLog log = new RecordingLog();

  private RunMojo run(SampleProject project) {
    RunMojo mojo = project.configure(new RunMojo(), log);
    mojo.task = SampleProject.SQUARE_TASK;
    return mojo;
  }

  @Test
  void run_onLocalWorkers_printsTheStartupSummaryWorkersAndResultsInPartitionOrder() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    RunMojo mojo = run(project);
    mojo.partitions = 3;
    mojo.workers = 1;
    mojo.parameters = Map.of("suffix", "!");
    mojo.parameterList = "other=1";

    mojo.execute();

    assertThat(log.text())
        .contains("[INFO] Geneva packaged 3 files")
        .contains("1 worker:")
        .contains("  local-1 (pid ")
        .containsPattern("job \\S+ of com.acme.SquareTask: 3 partitions in")
        .contains("  0: square(0)=0!  (local-1)")
        .contains("  1: square(1)=1!  (local-1)")
        .contains("  2: square(2)=4!  (local-1)");
    assertThat(project.target.resolve("geneva").resolve(StartupReports.LATEST)).isRegularFile();
    assertThat(System.getProperty(WorkerClasspath.PROPERTY)).isNull();
  }

  @Test
  void failingTask_failsTheBuildWithTheTasksOwnError() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.task = SampleProject.FAILING_TASK;
    mojo.workers = 1;
    mojo.maxAttempts = 1;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("task com.acme.FailingTask failed: ")
        .hasMessageContaining("partition 0");
  }

  @Test
  void noTask_failsSayingHowToNameOne() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.task = null;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("no task class to run")
        .hasMessageContaining("-Dgeneva.task=com.acme.MyTask")
        .hasMessageContaining("<task>");
  }

  @Test
  void taskNotInTheProject_failsNamingItAndWhereItWasLookedFor() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    RunMojo mojo = run(project);
    mojo.task = "com.acme.Missing";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("task class com.acme.Missing (geneva.task) is not in the project")
        .hasMessageContaining(project.classes.toString())
        .hasMessageContaining("check the name");
  }

  @Test
  void taskOfThePluginNotTheProject_failsSayingWhereItComesFrom() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.task = RunMojo.class.getName();

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("is not in the project: it comes from the Geneva plugin itself");
  }

  @Test
  void classThatIsNotATask_failsNamingTheInterface() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.task = SampleProject.NOT_A_TASK;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("task class com.acme.NotATask (geneva.task) does not implement io.geneva.Task");
  }

  @Test
  void taskNameThatIsNotAClassName_failsNamingIt() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.task = "com.acme.Square Task";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("task (geneva.task)")
        .hasMessageContaining("\"com.acme.Square Task\" is not a Java class name");
  }

  @Test
  void zeroPartitions_failsNamingTheCount() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.partitions = 0;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("a job needs at least 1 partition, not 0");
  }

  @Test
  void zeroWorkers_failsNamingTheOption() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.workers = 0;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("workers (geneva.workers): a local cluster needs at least 1 worker, not 0");
  }

  @Test
  void parameterWithoutValue_failsShowingTheForm() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.parameterList = "a=1,oops";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("parameters (geneva.parameters) \"oops\" is not name=value");
  }

  @Test
  void unknownExitPolicy_failsListingTheKnownOnes() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.exitPolicy = "forever";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("exitPolicy (geneva.exitPolicy) \"forever\" is not one of delete, retain,"
            + " retain-on-failure");
  }

  @Test
  void exitPolicy_readsTheCliSpellings() throws Exception {
    assertThat(RunMojo.exitPolicy("retain-on-failure")).isEqualTo(io.geneva.ExitPolicy.RETAIN_ON_FAILURE);
    assertThat(RunMojo.exitPolicy("RETAIN")).isEqualTo(io.geneva.ExitPolicy.RETAIN);
  }

  @Test
  void badIdleTimeout_failsNamingTheOption() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.idleTimeout = "0s";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("idleTimeout (geneva.idleTimeout) must be longer than 0");
  }

  @Test
  void missingClusterSpecFile_failsNamingItAndTheFix() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    Path spec = dir.resolve("cluster.yaml");
    mojo.clusterSpec = spec.toFile();

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("clusterSpec (geneva.clusterSpec) " + spec + " does not exist")
        .hasMessageContaining("remove it to run on local workers");
  }

  @Test
  void clusterSpecWithAnUnknownField_failsWithTheSpecFilesProblems() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    Path spec = Files.writeString(dir.resolve("cluster.yaml"), "type: kuberay\nname: dev\nimagee: x\n");
    mojo.clusterSpec = spec.toFile();

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("clusterSpec (geneva.clusterSpec): cluster spec " + spec)
        .hasMessageContaining("imagee");
  }

  @Test
  void clusterSpecWithLocalWorkerOptions_failsSayingWhereTheyBelong() throws Exception {
    RunMojo mojo = run(SampleProject.compiled(dir.resolve("project")));
    mojo.clusterSpec = dir.resolve("cluster.yaml").toFile();
    mojo.workers = 2;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("workers, exitPolicy and idleTimeout are for local workers")
        .hasMessageContaining("set exitPolicy and idleTimeout in the spec file");
  }

  @Test
  void notCompiled_failsBeforeAnyWorkerStarts() {
    SampleProject project = SampleProject.uncompiled(dir.resolve("project"));
    RunMojo mojo = run(project);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("mvn compile geneva:run");
    assertThat(project.dir.resolve("geneva-home")).doesNotExist();
  }
}
