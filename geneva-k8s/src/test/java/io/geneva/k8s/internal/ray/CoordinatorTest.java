package io.geneva.k8s.internal.ray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.TaskResources;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.JobRequest;
import io.geneva.spi.Storage;
import io.geneva.testfixture.BrokenTask;
import io.geneva.testfixture.FlakyTask;
import io.geneva.testfixture.SquareTask;
import io.ray.api.Ray;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator and its actors under Ray's in-process LOCAL mode, with the task classes and the
 * assertions of the local-cluster tests: results in partition order from the manifest's class
 * loader, a failing task retried, a job that cannot succeed reported with the task's exception.
 */
class CoordinatorTest {
  @TempDir static Path dir;
  static RayFixture fixture;

  @BeforeAll
  static void ray() {
    System.setProperty("ray.run-mode", "LOCAL");
    Ray.init();
    fixture = new RayFixture(dir);
  }

  @AfterAll
  static void shutdown() {
    Ray.shutdown();
    System.clearProperty("ray.run-mode");
  }

  private record Run(boolean succeeded, List<JobEvent> events, Storage storage) {
    List<JobEvent> of(String type) {
      return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    Object result(String jobId, int partition) {
      try (InputStream in = storage.open(CoordinatorSpec.resultKey(jobId, partition))) {
        return RayFixture.deserialize(in);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static Run run(CoordinatorSpec spec) {
    List<JobEvent> events = Collections.synchronizedList(new ArrayList<>());
    Storage storage = StorageSelector.open(spec.request().manifest().storageRoot());
    boolean ok = new Coordinator(spec, storage, events::add).run();
    return new Run(ok, List.copyOf(events), storage);
  }

  @Test
  void resultsComeBackInPartitionOrder_fromTheManifestsClassLoader_onSeveralActors() {
    Run run = run(fixture.spec(fixture.request("square", SquareTask.class, 6, 1, Map.of())));

    assertThat(run.succeeded()).isTrue();
    assertThat(run.of("committed")).extracting(JobEvent::partition).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(run.events().get(run.events().size() - 1).type()).isEqualTo("done");
    for (int p = 0; p < 6; p++) {
      SquareTask.Square s = (SquareTask.Square) run.result("square", p);
      assertThat(s.square()).isEqualTo((long) p * p);
      assertThat(s.loader()).startsWith("geneva-manifest-");
      assertThat(s.worker()).startsWith("square-");
    }
    assertThat(run.of("started")).extracting(JobEvent::worker).hasSizeGreaterThan(1).allMatch(w -> w.startsWith("square-"));
  }

  @Test
  void aFailingTaskIsRetried_onAnotherActor_andTheJobSucceeds() {
    Run run = run(fixture.spec(fixture.request("flaky", FlakyTask.class, 4, 3, Map.of("fail", "1,3"))));

    assertThat(run.succeeded()).isTrue();
    assertThat(List.of(run.result("flaky", 0), run.result("flaky", 1), run.result("flaky", 2), run.result("flaky", 3)))
        .containsExactly("0@1", "1@2", "2@1", "3@2");
    assertThat(run.of("failed")).extracting(JobEvent::partition).containsExactlyInAnyOrder(1, 3);
    assertThat(run.of("failed")).allSatisfy(e -> {
      assertThat(e.retrying()).isTrue();
      assertThat(e.taskFailure()).isNotNull();
      assertThat(e.taskFailure().exceptionClass()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.taskFailure().getMessage()).contains("flaky partition " + e.partition());
    });
    for (JobEvent failed : run.of("failed")) {
      JobEvent retry = run.of("started").stream()
          .filter(s -> s.partition() == failed.partition() && s.attempt() == 2).findFirst().orElseThrow();
      assertThat(retry.worker()).as("retried elsewhere").isNotEqualTo(failed.worker());
    }
  }

  @Test
  void aJobThatCannotSucceed_isReportedWithTheTasksException() {
    Run run = run(fixture.spec(fixture.request("broken", BrokenTask.class, 1, 2, Map.of())));

    assertThat(run.succeeded()).isFalse();
    JobEvent error = run.of("error").get(0);
    assertThat(error.partition()).isZero();
    assertThat(error.message()).contains("partition 0 of job broken", "failed 2 times",
        "java.lang.UnsupportedOperationException: cannot do partition 0");
    assertThat(error.taskFailure()).isNotNull();
    assertThat(error.taskFailure().exceptionClass()).isEqualTo("java.lang.UnsupportedOperationException");
    assertThat(error.taskFailure().getStackTrace()[0].getClassName()).isEqualTo(BrokenTask.class.getName());
    assertThat(run.of("committed")).isEmpty();
  }

  @Test
  void aTaskClassNotInTheManifest_failsAtOnce_withoutRetries() {
    JobRequest request = JobRequest.builder().jobId("missing").taskClass("com.example.NotShipped").partitions(3)
        .maxAttempts(3).manifestUri(fixture.manifest).build();

    Run run = run(fixture.spec(request));

    assertThat(run.succeeded()).isFalse();
    assertThat(run.of("error").get(0).message()).contains("com.example.NotShipped",
        "is not in the shipped classpath");
    assertThat(run.of("started")).hasSizeLessThanOrEqualTo(3); // the first attempts only
  }

  @Test
  void aTaskNoWorkerGroupCanHost_failsBeforeAnyActorStarts_namingTheGroups() {
    JobRequest request = fixture.request("gpu", SquareTask.class, 2, 1, Map.of()).toBuilder()
        .resources(new TaskResources(1, 1, 0))
        .build();

    Run run = run(fixture.spec(request));

    assertThat(run.succeeded()).isFalse();
    assertThat(run.of("started")).isEmpty();
    assertThat(run.of("error").get(0).message()).isEqualTo("job gpu asks 1 CPU, 1 GPU per task, but no worker group"
        + " can host one: cpu (4 CPUs, 8 GiB per pod, at most 2 pods); add a worker group that large, or ask less"
        + " per task");
  }

  @Test
  void actorsArePlannedFromWhatTheGroupsCanHost_atMostOnePerPartition() {
    JobRequest many = fixture.request("plan", SquareTask.class, 100, 1, Map.of());
    List<CoordinatorSpec.Group> groups = List.of(new CoordinatorSpec.Group("cpu", 4, 0, 16L << 30, 3),
        new CoordinatorSpec.Group("gpu", 8, 2, 64L << 30, 2));

    assertThat(new CoordinatorSpec(many, groups, "/c", 0).actors()).isEqualTo(3 * 4 + 2 * 8);
    JobRequest plan = JobRequest.builder().jobId("plan").taskClass("x.T").partitions(100).maxAttempts(1)
        .manifestUri(fixture.manifest).build();
    JobRequest gpus = plan.toBuilder().resources(new TaskResources(2, 1, 0)).build();
    assertThat(new CoordinatorSpec(gpus, groups, "/c", 0).actors()).as("only the GPU group, 2 per pod").isEqualTo(4);
    JobRequest memory = plan.toBuilder().resources(new TaskResources(1, 0, 6L << 30)).build();
    assertThat(new CoordinatorSpec(memory, groups, "/c", 0).actors()).as("70% of 16 GiB holds one 6 GiB task")
        .isEqualTo(3 * 1 + 2 * 7);
    assertThat(new CoordinatorSpec(fixture.request("plan", SquareTask.class, 5, 1, Map.of()), groups, "/c", 0).actors())
        .isEqualTo(5);
  }

  @Test
  void aSpecThatIsNotOne_isRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> CoordinatorSpec.fromJson("not json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("GENEVA_JOB is not JSON");
    assertThatThrownBy(() -> CoordinatorSpec.fromJson("{\"job\":{}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GENEVA_JOB has no \"parameters\"; the session and the image's Geneva differ in version");
  }

  @Test
  void theMainClassNamedToTheSession_isTheCoordinatorsMain() {
    assertThat(CoordinatorSpec.MAIN_CLASS).isEqualTo(CoordinatorMain.class.getName());
  }

  @Test
  void theSpecSurvivesItsJson() {
    JobRequest request = JobRequest.builder()
        .jobId("j")
        .taskClass("a.B")
        .partitions(7)
        .maxAttempts(2)
        .parameters(Map.of("k", "v"))
        .manifestUri(fixture.manifest)
        .resources(new TaskResources(1.5, 1, 1L << 30))
        .taskTimeout(Duration.ofMinutes(7))
        .build();
    CoordinatorSpec spec = new CoordinatorSpec(request, List.of(new CoordinatorSpec.Group("g", 8, 1, 1L << 34, 3)),
        "/var/cache/geneva", 5L << 30);

    assertThat(CoordinatorSpec.fromJson(spec.toJson())).isEqualTo(spec);
  }
}
