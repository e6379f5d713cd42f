package io.geneva.k8s;

import io.geneva.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.JobException;
import io.geneva.ProgressListener;
import io.geneva.TaskFailedException;
import io.geneva.TaskResources;
import io.geneva.WorkerReport;
import io.geneva.k8s.internal.ray.CoordinatorSpec;
import io.geneva.k8s.internal.ray.RayFixture;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.ProvisionContext;
import io.geneva.testfixture.BrokenTask;
import io.geneva.testfixture.FlakyTask;
import io.geneva.testfixture.SquareTask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on a KubeRay cluster end to end, as far as this machine allows: the cluster is provisioned
 * against the Kubernetes API stand-in, the session submits through the Ray Jobs REST API of a local
 * dashboard that runs the entrypoint as a real process (as Ray's job supervisor does), and that
 * process is Geneva's coordinator in a JVM of its own, with its actors in Ray's LOCAL mode.
 */
class KubeRayJobsTest {
  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir Path dir;
  private KubeApiServer kube;
  private MutableClock clock;
  private SimulatedOperator operator;
  private FakeRayDashboard dashboard;
  private RayFixture fixture;

  @BeforeEach
  void start() throws IOException {
    kube = KubeApiServer.start();
    clock = MutableClock.at(START);
    operator = new SimulatedOperator(kube.client(), clock);
    dashboard = new FakeRayDashboard(dir);
    fixture = new RayFixture(dir);
  }

  @AfterEach
  void stop() {
    dashboard.close();
    kube.close();
  }

  /** The coordinator in a JVM of its own, on this test's class path, with Ray in LOCAL mode. */
  private static String coordinatorJvm(List<String> workerJvmOptions) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString(); // this JVM's, not PATH's
    return RayEntrypoint.quote(java) + " " + System.getProperty("geneva.test.rayJvmOpens", "")
        + " -Dray.run-mode=LOCAL"
        + workerJvmOptions.stream().map(o -> " " + RayEntrypoint.quote(o)).reduce("", String::concat)
        + " -cp " + RayEntrypoint.quote(System.getProperty("java.class.path")) + " io.geneva.k8s.internal.ray.CoordinatorMain";
  }

  private ProvisionedRayCluster provision(KubeRayCluster spec, Function<List<String>, String> entrypoint) {
    KubeRayProvisioner provisioner = new KubeRayProvisioner(KubeAccess.of(kube.apiClient()), d -> {
      clock.advance(d);
      operator.step();
    }, new ProvisionedRayCluster.JobLaunch(entrypoint, Duration.ofMillis(50)));
    ProvisionContext context = new ProvisionContext(dir.resolve("home"), List.of("-Dgeneva.test=1"),
        Map.of("GENEVA_CACHE", fixture.cache.toString()), clock, ProgressListener.NONE);
    return (ProvisionedRayCluster) provisioner.provision(spec, context);
  }

  private ProvisionedRayCluster provision() {
    return provision(Specs.design().dashboard(dashboard.uri()), KubeRayJobsTest::coordinatorJvm);
  }

  /** Records what the session's observer hears. */
  private static final class Recorder implements JobObserver {
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void started(int partition, int attempt, String worker) {
      heard.add("started " + partition + "#" + attempt);
    }

    @Override
    public void failed(int partition, int attempt, String worker, Throwable cause, boolean retrying) {
      heard.add("failed " + partition + "#" + attempt + (retrying ? " retrying: " : ": ") + cause.getMessage());
    }

    @Override
    public void committed(int partition) {
      heard.add("committed " + partition);
    }

    List<String> starting(String prefix) {
      return heard.stream().filter(h -> h.startsWith(prefix)).toList();
    }
  }

  private static Object value(PartitionOutcome o) {
    return RayFixture.deserialize(new ByteArrayInputStream(o.value()));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(2, TimeUnit.MINUTES);
  }

  @Test
  void aJobRunsThroughTheJobsApi_andItsResultsComeBackInPartitionOrder() throws Exception {
    ProvisionedRayCluster cluster = provision();
    Recorder recorder = new Recorder();

    List<PartitionOutcome> outcomes = await(cluster.run(
        fixture.request("e2e", SquareTask.class, 4, 1, Map.of()), recorder));

    assertThat(outcomes).extracting(PartitionOutcome::index).containsExactly(0, 1, 2, 3);
    assertThat(outcomes).extracting(o -> ((SquareTask.Square) value(o)).square()).containsExactly(0L, 1L, 4L, 9L);
    assertThat(outcomes).allSatisfy(o -> {
      assertThat(((SquareTask.Square) value(o)).loader()).startsWith("geneva-manifest-");
      assertThat(o.worker()).startsWith("e2e-");
    });
    assertThat(recorder.starting("committed")).containsExactly("committed 0", "committed 1", "committed 2",
        "committed 3");
    FakeRayDashboard.Job job = dashboard.job("geneva-e2e");
    assertThat(job.env).containsKey(CoordinatorSpec.ENV).containsEntry("GENEVA_CACHE", fixture.cache.toString());
    assertThat(job.metadata).containsEntry("geneva.job", "e2e").containsEntry("geneva.task", SquareTask.class.getName());
    assertThat(job.entrypoint).contains("'-Dgeneva.test=1'");
    try (var files = Files.walk(fixture.store)) {
      assertThat(files.filter(p -> p.toString().contains("/jobs/")).filter(Files::isRegularFile))
          .as("results are removed once the session has them").isEmpty();
    }
  }

  @Test
  void warmup_bootstrapsTheManifestOnEveryNode_throughAWarmupRayJob_oneDownloadPerPackagePerNode() {
    ProvisionedRayCluster cluster = provision();
    int pods = kube.client().pods().inNamespace("ml").list().getItems().size();

    List<WorkerReport> reports = cluster.warmup(fixture.manifest);

    assertThat(reports.stream().filter(r -> r.pid() == -1)).as("pods with no Ray node of their own here")
        .hasSize(pods);
    List<WorkerReport> nodes = reports.stream().filter(r -> r.pid() > 0).toList();
    assertThat(nodes).as("one bootstrap actor per pod; in LOCAL mode all on this machine's node").hasSize(pods);
    // Ray 2.39's LOCAL mode runs every actor's calls on the instance created last (ray-project/ray
    // #61827), so after the first bootstrap the others find the manifest already bootstrapped.
    assertThat(nodes).filteredOn(r -> !r.alreadyReady()).isNotEmpty().allSatisfy(r ->
        assertThat(r.packagesFetched() + r.packagesFromCache()).isEqualTo(fixture.packages));
    assertThat(nodes.stream().mapToInt(WorkerReport::packagesFetched).sum())
        .as("the actors share the node's cache: each package downloaded once").isEqualTo(fixture.packages);
    assertThat(dashboard.requests()).anyMatch(r -> r.startsWith("GET /api/jobs/geneva-warmup-"));
  }

  @Test
  void aFailingTaskIsRetried_andTheSessionHearsIt() throws Exception {
    ProvisionedRayCluster cluster = provision();
    Recorder recorder = new Recorder();

    List<PartitionOutcome> outcomes = await(cluster.run(
        fixture.request("flaky", FlakyTask.class, 3, 2, Map.of("fail", "1")), recorder));

    assertThat(outcomes).extracting(KubeRayJobsTest::value).containsExactly("0@1", "1@2", "2@1");
    assertThat(recorder.starting("failed")).containsExactly(
        "failed 1#1 retrying: java.lang.IllegalStateException: flaky partition 1");
  }

  @Test
  void aJobThatCannotSucceed_failsWithTheTasksException() {
    ProvisionedRayCluster cluster = provision();

    assertThatThrownBy(() -> await(cluster.run(fixture.request("broken", BrokenTask.class, 2, 1, Map.of()),
        JobObserver.NONE)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageContaining("of job broken (" + BrokenTask.class.getName() + ") failed 1 time")
        .hasMessageContaining("java.lang.UnsupportedOperationException: cannot do partition")
        .cause()
        .isInstanceOf(TaskFailedException.class)
        .satisfies(t -> assertThat(t.getStackTrace()[0].getClassName()).isEqualTo(BrokenTask.class.getName()));
  }

  @Test
  void aRayJobTheClusterReportsFailed_surfacesRaysMessage() {
    ProvisionedRayCluster cluster = provision(Specs.design().dashboard(dashboard.uri()),
        opts -> "echo 'Error: Could not find or load main class io.geneva.k8s.internal.ray.CoordinatorMain'; exit 1");

    assertThatThrownBy(() -> await(cluster.run(fixture.request("nomain", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageStartingWith("Ray job geneva-nomain of job nomain on kuberay \"dev\" in namespace \"ml\" failed:"
            + " Job entrypoint command failed with exit code 1")
        .hasMessageContaining("Could not find or load main class");
  }

  @Test
  void cancellingTheJob_stopsTheRayJob() throws Exception {
    ProvisionedRayCluster cluster = provision(Specs.design().dashboard(dashboard.uri()), opts -> "sleep 120");
    CompletableFuture<List<PartitionOutcome>> job =
        cluster.run(fixture.request("long", SquareTask.class, 1, 1, Map.of()), JobObserver.NONE);

    job.cancel(true);

    FakeRayDashboard.Job ray = dashboard.job("geneva-long");
    assertThat(ray.process.waitFor(30, TimeUnit.SECONDS)).as("the Ray job was stopped").isTrue();
    assertThat(ray.stopped).isTrue();
    assertThat(dashboard.requests()).contains("POST /api/jobs/geneva-long/stop");
  }

  @Test
  void aTaskNoWorkerGroupCanHost_failsBeforeSubmitting() {
    ProvisionedRayCluster cluster = provision();
    JobRequest gpus = new JobRequest("gpu", SquareTask.class.getName(), 2, 1, Map.of(), fixture.manifest,
        new TaskResources(1, 1, 0));

    assertThatThrownBy(() -> await(cluster.run(gpus, JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessage("job gpu asks 1 CPU, 1 GPU per task, but no worker group can host one: cpu (1 CPU, 4 GiB per pod,"
            + " at most 20 pods); add a worker group that large, or ask less per task (kuberay \"dev\" in namespace"
            + " \"ml\")");
    assertThat(dashboard.requests()).isEmpty();
  }

  @Test
  void anUnreachableHead_isNamedWithItsAddressAndTheCluster() throws IOException {
    URI closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    ProvisionedRayCluster cluster = provision(Specs.design().dashboard(closed), KubeRayJobsTest::coordinatorJvm);

    assertThatThrownBy(() -> await(cluster.run(fixture.request("lost", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageStartingWith("job lost could not be submitted to kuberay \"dev\" in namespace \"ml\": the head of"
            + " kuberay \"dev\" in namespace \"ml\" is unreachable at " + closed);
  }
}
