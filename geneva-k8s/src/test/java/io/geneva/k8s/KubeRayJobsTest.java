package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.JobException;
import io.geneva.MutableClock;
import io.geneva.TaskFailedException;
import io.geneva.TaskResources;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Sleeper;
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
    return provision(spec, new ProvisionedRayCluster.JobLaunch(entrypoint, Duration.ofMillis(50)));
  }

  private ProvisionedRayCluster provision(KubeRayCluster spec, ProvisionedRayCluster.JobLaunch launch) {
    KubeRayProvisioner provisioner = new KubeRayProvisioner(KubeAccess.of(kube.apiClient()), clock, d -> {
      clock.advance(d);
      operator.step();
    }, launch);
    ProvisionContext context = ProvisionContext.builder()
        .home(dir.resolve("home"))
        .jvmOptions(List.of("-Dgeneva.test=1"))
        .environment(Map.of("GENEVA_CACHE", fixture.cache.toString()))
        .clock(clock)
        .build();
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
  void aDashboardThatStopsAnswering_losesTheJobAfterFivePolls_waitingThePollIntervalBetweenThem() {
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    Sleeper breakTheDashboardOnTheFirstWait = d -> {
      waits.add(d);
      dashboard.failWith(500);
    };
    ProvisionedRayCluster cluster = provision(Specs.design().dashboard(dashboard.uri()),
        new ProvisionedRayCluster.JobLaunch(options -> "sleep 60", Duration.ofSeconds(7))
            .pollingWith(breakTheDashboardOnTheFirstWait));

    assertThatThrownBy(() -> await(cluster.run(fixture.request("lost", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageContaining("job lost lost track of Ray job geneva-lost");
    // One wait while the job ran, then one after each of the first four failed polls; none after the fifth.
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7), Duration.ofSeconds(7),
        Duration.ofSeconds(7), Duration.ofSeconds(7));
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
    JobRequest gpus = fixture.request("gpu", SquareTask.class, 2, 1, Map.of()).toBuilder()
        .resources(new TaskResources(1, 1, 0))
        .build();

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

  // ---- token authentication (Ray 2.52+, KubeRay 1.6 authOptions) ----

  private static final String TOKEN = SimulatedOperator.generatedToken("dev");

  /** DESIGN.md's example with token authentication, KubeRay generating the token's Secret. */
  private KubeRayCluster withAuth() {
    return Specs.design().rayVersion("2.52.0").authOptions(AuthOptions.token()).dashboard(dashboard.uri());
  }

  private static String everything(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return e + "\n" + out;
  }

  @Test
  void withTokenAuth_aJobRunsThroughAHeadThatAsksForTheToken_readFromTheSecretKubeRayGenerated() throws Exception {
    assertThat(RecordingSlf4jProvider.active()).as("the POM's slf4j.provider, so the logs are seen").isTrue();
    dashboard.requireToken(TOKEN);
    RecordingSlf4jProvider.start();
    List<String> logs;
    List<PartitionOutcome> outcomes;
    try {
      ProvisionedRayCluster cluster = provision(withAuth(), KubeRayJobsTest::coordinatorJvm);
      outcomes = await(cluster.run(fixture.request("auth", SquareTask.class, 2, 1, Map.of()), JobObserver.NONE));
    } finally {
      logs = RecordingSlf4jProvider.stop();
    }

    assertThat(outcomes).extracting(o -> ((SquareTask.Square) value(o)).square()).containsExactly(0L, 1L);
    ObjectNode stored = kube.rayCluster("ml", "dev").orElseThrow();
    assertThat(stored.path("spec").path("authOptions").toString()).isEqualTo("{\"mode\":\"token\"}");
    assertThat(CrdSchema.errors(stored)).isEmpty();
    assertThat(dashboard.authorizations()).isNotEmpty().containsOnly("Bearer " + TOKEN);
    FakeRayDashboard.Job job = dashboard.job("geneva-auth");
    assertThat(job.entrypoint).doesNotContain(TOKEN);
    assertThat(job.env.values()).noneMatch(v -> v.contains(TOKEN));
    assertThat(logs).as("Geneva's log lines, DEBUG and TRACE included")
        .anyMatch(l -> l.contains("job auth submitted"))
        .anyMatch(l -> l.contains("gets the token from Secret \"dev\" (key auth_token) in namespace \"ml\""))
        .noneMatch(l -> l.contains(TOKEN));
  }

  @Test
  void aRefusedToken_failsTheJobAtOnce_namingTheSecret_neverTheToken() {
    dashboard.requireToken("a-token-from-before-the-cluster-was-created-again");
    RecordingSlf4jProvider.start();
    Throwable failure;
    List<String> logs;
    try {
      ProvisionedRayCluster cluster = provision(withAuth(), KubeRayJobsTest::coordinatorJvm);
      failure = org.assertj.core.api.Assertions.catchThrowable(() -> await(cluster.run(
          fixture.request("refused", SquareTask.class, 1, 1, Map.of()), JobObserver.NONE)));
    } finally {
      logs = RecordingSlf4jProvider.stop();
    }

    assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(JobException.class)
        .hasMessage("job refused could not be submitted to kuberay \"dev\" in namespace \"ml\": the Ray dashboard at "
            + dashboard.uri() + " of kuberay \"dev\" in namespace \"ml\" refused the token from Secret \"dev\" (key"
            + " auth_token) in namespace \"ml\" (POST /api/jobs/ answered 403: Forbidden: Invalid authentication token);"
            + " check that it is the Secret Ray takes its token from (authOptions.secretName, else the one KubeRay"
            + " generates, named after the cluster) and that the head has restarted since the token changed");
    assertThat(everything(failure)).doesNotContain(TOKEN);
    assertThat(logs).noneMatch(l -> l.contains(TOKEN));
    assertThat(dashboard.requests()).containsExactly("POST /api/jobs/");
  }

  @Test
  void aTokenRefusedWhileTheJobRuns_stopsFollowingItAtOnce_namingTheSecret() throws Exception {
    dashboard.requireToken(TOKEN);
    ProvisionedRayCluster cluster = provision(withAuth(), opts -> "sleep 120");
    CompletableFuture<List<PartitionOutcome>> job =
        cluster.run(fixture.request("rotated", SquareTask.class, 1, 1, Map.of()), JobObserver.NONE);
    assertThat(dashboard.job("geneva-rotated")).as("submitted with the token").isNotNull();
    int before = dashboard.requests().size();

    dashboard.requireToken("the-token-after-the-secret-was-rotated");

    assertThatThrownBy(() -> await(job))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageStartingWith("job rotated lost track of Ray job geneva-rotated: the Ray dashboard at "
            + dashboard.uri() + " of kuberay \"dev\" in namespace \"ml\" refused the token from Secret \"dev\" (key"
            + " auth_token) in namespace \"ml\" (GET /api/jobs/geneva-rotated")
        .hasMessageContaining("answered 403: Forbidden: Invalid authentication token)");
    assertThat(dashboard.requests().size() - before).as("polls after the refusal: one, not the five a lost head gets")
        .isLessThanOrEqualTo(2);
  }

  @Test
  void aHeadThatAsksForATokenTheSpecDoesNotName_failsSayingHowToNameOne() {
    dashboard.requireToken(TOKEN);
    ProvisionedRayCluster cluster = provision();

    assertThatThrownBy(() -> await(cluster.run(fixture.request("anon", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageContaining("asks for a token and the session sent none (POST /api/jobs/ answered 401: Unauthorized:"
            + " Missing authentication token); the cluster's Ray has token authentication on; set authOptions (mode:"
            + " token) in the spec if KubeRay turned it on, or rayToken: {secret: NAME, key: auth_token} or rayToken:"
            + " {env: GENEVA_RAY_TOKEN}");
  }

  @Test
  void aTokenSecretGoneAfterProvisioning_failsTheJob_namingTheSecretAndWhyItShouldExist() {
    ProvisionedRayCluster cluster = provision(withAuth(), KubeRayJobsTest::coordinatorJvm);
    kube.client().secrets().inNamespace("ml").withName("dev").delete();

    assertThatThrownBy(() -> await(cluster.run(fixture.request("nosecret", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessage("job nosecret cannot be submitted: kuberay \"dev\" in namespace \"ml\": Secret \"dev\" in"
            + " namespace \"ml\", which KubeRay generates for authOptions mode token, does not exist; check that the"
            + " KubeRay operator is 1.5.1 or newer (older ones ignore authOptions) and has reconciled the cluster"
            + " (kubectl get secret dev -n ml), or set rayToken to where the token is");
    assertThat(dashboard.requests()).isEmpty();
  }

  @Test
  void aTokenSecretWithoutItsKey_failsNamingTheKeysItHas() {
    kube.secret("ml", "ray-token", Map.of("token", TOKEN));
    ProvisionedRayCluster cluster = provision(Specs.design().rayToken(RayToken.fromSecret("ray-token", "token"))
        .dashboard(dashboard.uri()), KubeRayJobsTest::coordinatorJvm);
    kube.client().secrets().inNamespace("ml").withName("ray-token").delete();
    kube.secret("ml", "ray-token", Map.of("other", TOKEN));

    assertThatThrownBy(() -> await(cluster.run(fixture.request("nokey", SquareTask.class, 1, 1, Map.of()),
        JobObserver.NONE)))
        .cause()
        .hasMessageEndingWith("Secret \"ray-token\" in namespace \"ml\" has no key \"token\" (its keys: other); put"
            + " the Ray token under token, or set rayToken: {secret: ray-token, key: KEY}")
        .satisfies(e -> assertThat(everything(e)).doesNotContain(TOKEN));
  }

  /** A warmup whose Ray job only has to succeed, reaching the dashboard as {@code launch} says. */
  private static ProvisionedRayCluster.JobLaunch quiet(Map<String, String> environment,
      HeadPortForward.Tunnel tunnel) {
    return new ProvisionedRayCluster.JobLaunch(options -> "true", Duration.ofMillis(50), environment::get, tunnel);
  }

  @Test
  void aTokenFromTheEnvironment_isSent_andAnUnsetVariableIsNamed() {
    dashboard.requireToken("from-the-environment");
    KubeRayCluster spec = Specs.design().rayToken(RayToken.fromEnv("GENEVA_RAY_TOKEN")).dashboard(dashboard.uri());

    provision(spec, quiet(Map.of("GENEVA_RAY_TOKEN", "from-the-environment\n"), null)).warmup(fixture.manifest);

    assertThat(dashboard.authorizations()).isNotEmpty().containsOnly("Bearer from-the-environment");
    ProvisionedRayCluster unset = provision(spec.exitPolicy(io.geneva.ExitPolicy.RETAIN), quiet(Map.of(), null));
    assertThatThrownBy(() -> unset.warmup(fixture.manifest))
        .isInstanceOf(io.geneva.ProvisioningException.class)
        .hasMessageContaining("environment variable GENEVA_RAY_TOKEN (rayToken.env) is not set; set it to the"
            + " cluster's Ray token (for a token KubeRay keeps: export VARIABLE=$(kubectl get secret dev -n ml -o"
            + " jsonpath='{.data.auth_token}' | base64 -d))");
  }

  @Test
  void withoutADashboardAddress_thePortForwardToTheHeadCarriesTheToken() {
    dashboard.requireToken(TOKEN);
    List<String> tunnels = Collections.synchronizedList(new ArrayList<>());
    HeadPortForward.Tunnel toTheDashboard = (namespace, pod, port) -> {
      // The stand-in cannot forward ports: this tunnel reaches the dashboard directly, as the API
      // server's port-forward stream would reach the head pod's port 8265.
      tunnels.add(namespace + "/" + pod + ":" + port);
      java.net.Socket socket = new java.net.Socket(dashboard.uri().getHost(), dashboard.uri().getPort());
      return new HeadPortForward.Streams(socket.getInputStream(), socket.getOutputStream());
    };
    KubeRayCluster spec = Specs.design().rayVersion("2.52.0").authOptions(AuthOptions.token());

    List<WorkerReport> reports = provision(spec, quiet(Map.of(), toTheDashboard)).warmup(fixture.manifest);

    assertThat(reports).isNotEmpty();
    assertThat(tunnels).isNotEmpty().allMatch(t -> t.matches("ml/dev-head-[a-z0-9]+:8265"));
    assertThat(dashboard.requests()).anyMatch(r -> r.startsWith("POST /api/jobs/"));
    assertThat(dashboard.authorizations()).containsOnly("Bearer " + TOKEN);
  }
}
