package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ExitPolicy;
import io.geneva.GenevaException;
import io.geneva.JobException;
import io.geneva.ProvisioningException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.k8s.internal.ray.CoordinatorSpec;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.ProvisionContext;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KubeRay cluster that {@link KubeRayProvisioner} made ready.
 *
 * <p><b>Manifests.</b> {@link #warmup(URI)} writes the manifest URI into the cluster's {@link
 * RayClusterRenderer#manifestConfigMap(String) manifest ConfigMap} (owned by the RayCluster, so
 * Kubernetes deletes it with the cluster), from which every pod that starts from then on (a new
 * worker the autoscaler adds, a pod that restarts) bootstraps that manifest before Ray starts; then
 * it waits until every pod that exists has bootstrapped and is ready. A pod reads the ConfigMap only
 * when it starts, so pods that were already running may hold an older manifest's packages: warmup
 * then submits a warmup Ray job that puts one bootstrap actor on each Ray node ({@link
 * io.geneva.k8s.internal.ray.Coordinator#warmup()}), which fetches the manifest into that node's cache. The
 * first job's actors then find every package there.
 *
 * <p><b>Jobs.</b> {@link #run} submits the job as a Ray job; see {@link RayJobRun}.
 *
 * <p><b>Reports.</b> One {@link WorkerReport} per pod: {@code pid}, {@code packagesFetched}, {@code
 * packagesFromCache} and {@code bytesFetched} from the warmup actor on the pod's node ({@code -1}
 * if none reported), {@code bootstrapMillis} from the bootstrap container's start and finish times
 * plus the actor's bootstrap, {@code alreadyReady} true for a pod that had bootstrapped and was
 * ready before this warmup began. An actor on a node that is no pod of the cluster's (Ray's LOCAL
 * mode in tests) is reported under its node's name.
 *
 * <p>Thread-safe; {@link #close(boolean)} is idempotent and throws nothing.
 */
final class ProvisionedRayCluster implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(ProvisionedRayCluster.class);

  /** The node cache the actors keep their packages to, in bytes, unless an emptyDir limit is smaller. */
  static final long DEFAULT_CACHE_MAX_BYTES = 50L << 30;

  /**
   * How this cluster's jobs reach Ray.
   *
   * @param entrypoint the command that runs the coordinator on the head, given the session's worker
   *     JVM options
   * @param pollInterval how often a running job's status and log are read
   * @param environment this process's environment: where a token may be ({@link RayToken#fromEnv}),
   *     and whether the session runs inside Kubernetes
   * @param tunnel how a port-forward reaches the head pod; null for through the Kubernetes API
   * @param pollSleeper how a followed job waits {@code pollInterval} between two polls of the Jobs API
   *     (apart from the provisioner's sleeper, which waits for the Kubernetes API)
   */
  record JobLaunch(Function<List<String>, String> entrypoint, Duration pollInterval,
      Function<String, @Nullable String> environment, HeadPortForward.@Nullable Tunnel tunnel, Sleeper pollSleeper) {
    /** Geneva's coordinator from the image's Geneva library, on the image's Ray. */
    static final JobLaunch DEFAULT = new JobLaunch(RayEntrypoint::command, Duration.ofSeconds(1));

    /** With this process's environment, and port-forwards through the Kubernetes API. */
    JobLaunch(Function<List<String>, String> entrypoint, Duration pollInterval) {
      this(entrypoint, pollInterval, System::getenv, null);
    }

    /** Waiting between polls with {@link Sleeper#SYSTEM}. */
    JobLaunch(Function<List<String>, String> entrypoint, Duration pollInterval,
        Function<String, @Nullable String> environment, HeadPortForward.@Nullable Tunnel tunnel) {
      this(entrypoint, pollInterval, environment, tunnel, Sleeper.SYSTEM);
    }

    /** This launch, waiting between polls with {@code sleeper}. */
    JobLaunch pollingWith(Sleeper sleeper) {
      return new JobLaunch(entrypoint, pollInterval, environment, tunnel, sleeper);
    }
  }

  private final KubeRayCluster spec;
  private final KubeApi api;
  private final GetOrCreate.Result result;
  private final Readiness.Ready ready;
  private final ProvisionContext context;
  private final Sleeper sleeper;
  private final JobLaunch launch;
  private final String description;
  private boolean closed;
  private @Nullable RayJobsClient jobs;
  private @Nullable HeadPortForward forward;

  ProvisionedRayCluster(KubeRayCluster spec, KubeApi api, GetOrCreate.Result result, Readiness.Ready ready,
      ProvisionContext context, Sleeper sleeper, JobLaunch launch) {
    this.spec = spec;
    this.api = api;
    this.result = result;
    this.ready = ready;
    this.context = context;
    this.sleeper = sleeper;
    this.launch = launch;
    this.description = describe(spec, result, ready);
  }

  /** What the provisioner did: created, reused, patched or replaced. */
  GetOrCreate.Outcome outcome() {
    return result.outcome();
  }

  /** How long it waited for readiness, and what the cluster looked like then. */
  Readiness.Ready readiness() {
    return ready;
  }

  @Override
  public String description() {
    return description;
  }

  static String describe(KubeRayCluster spec, GetOrCreate.Result result, Readiness.Ready ready) {
    String what = switch (result.outcome()) {
      case CREATED -> "created";
      case REUSED -> "reused (its spec digest " + GetOrCreate.shortDigest(spec.digest()) + " matches)";
      case PATCHED -> "patched to this spec (spec digest " + GetOrCreate.shortDigest(result.previousDigest().orElse(""))
          + " -> " + GetOrCreate.shortDigest(spec.digest()) + "; pods already running keep their old template)";
      case REPLACED -> "replaced (deleted and created again: it ran spec digest "
          + GetOrCreate.shortDigest(result.previousDigest().orElse("")) + ")";
    };
    long workers = ready.pods().stream().filter(p -> !PodDiagnosis.isHead(p)).count();
    long readyPods = ready.pods().stream().filter(PodDiagnosis::ready).count();
    return "kuberay \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\": " + what + "; ready"
        + (ready.waited().isZero() ? "" : " after " + DurationText.format(ready.waited().withNanos(0)))
        + " (head and " + workers + " worker" + (workers == 1 ? "" : "s") + ", " + readyPods + " of "
        + ready.pods().size() + " pods ready)";
  }

  @Override
  public List<WorkerReport> warmup(URI manifestUri) {
    ManifestUri.of(Objects.requireNonNull(manifestUri, "manifestUri"));
    checkOpen();
    ObjectNode rc = api.rayCluster(spec.namespace(), spec.name()).orElseThrow(() -> new ProvisioningException(
        "KubeRay cluster \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\" no longer exists;"
            + " someone deleted it after it was provisioned; open the session again to create it"));
    api.putConfigMapEntry(spec.namespace(), RayClusterRenderer.manifestConfigMap(spec.name()),
        RayClusterRenderer.MANIFEST_KEY, manifestUri.toString(), owner(rc));
    Set<String> readyBefore = api.pods(spec.namespace(), spec.name()).stream()
        .filter(Readiness::bootstrapped).map(PodDiagnosis::name).collect(Collectors.toSet());
    Readiness.Ready done = new Readiness(api, spec, context.clock(), sleeper).awaitPods();
    List<WorkerReport> nodes = new ArrayList<>(warmNodes(manifestUri, done.pods().size()));
    List<WorkerReport> reports = new ArrayList<>();
    for (JsonNode pod : done.pods()) {
      String name = PodDiagnosis.name(pod);
      long millis = PodDiagnosis.bootstrapTime(pod).map(Duration::toMillis).orElse(0L);
      // A Ray node on Kubernetes is named after its pod.
      WorkerReport node = nodes.stream().filter(r -> r.worker().equals(name)).findFirst().orElse(null);
      nodes.remove(node);
      reports.add(node == null
          ? WorkerReport.builder(name).packagesFetched(-1).packagesFromCache(-1).bytesFetched(-1)
              .bootstrapMillis(millis).alreadyReady(readyBefore.contains(name)).build()
          : node.toBuilder().bootstrapMillis(millis + node.bootstrapMillis())
              .alreadyReady(readyBefore.contains(name)).build());
    }
    reports.addAll(nodes);
    log.info("kuberay \"{}\": {} pods bootstrapped manifest {} and are ready; pods that start from now on fetch it"
        + " before Ray starts", spec.name(), done.pods().size(), manifestUri);
    return reports;
  }

  /**
   * Bootstraps the manifest on every Ray node through a warmup Ray job (one actor per node), so that
   * pods that were running before this manifest have its packages in their node cache too.
   */
  private List<WorkerReport> warmNodes(URI manifestUri, int nodes) {
    String id = "warmup-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    CoordinatorSpec warm = CoordinatorSpec.warmup(id, manifestUri, nodes, NodeCacheVolume.MOUNT_PATH, cacheMaxBytes());
    CompletableFuture<List<WorkerReport>> f;
    try {
      f = RayJobRun.warm(jobsClient(), warm, clusterName(), launch.entrypoint().apply(context.jvmOptions()),
          context.environment(), launch.pollInterval(), launch.pollSleeper());
    } catch (GenevaException e) {
      throw new ProvisioningException("warmup of " + clusterName() + " cannot reach its head: " + e.getMessage(), e);
    }
    try {
      return f.get(spec.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ProvisioningException("warmup of " + clusterName() + " did not finish within the ready timeout of "
          + DurationText.format(spec.readyTimeout()) + "; raise readyTimeout if its nodes are only slow", e);
    } catch (ExecutionException e) {
      throw new ProvisioningException("warmup of " + clusterName() + " failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new ProvisioningException("warmup of " + clusterName() + " was interrupted", e);
    }
  }

  private static V1OwnerReference owner(ObjectNode rc) {
    return new V1OwnerReference()
        .apiVersion(RayClusterRenderer.API_VERSION)
        .kind(RayClusterRenderer.KIND)
        .name(rc.path("metadata").path("name").asText())
        .uid(rc.path("metadata").path("uid").asText());
  }

  /**
   * Runs the job as a Ray job: see {@link RayJobRun}. A job whose per-task resources no worker group
   * can host, or a head that cannot be reached, fails before anything is submitted.
   */
  @Override
  public CompletableFuture<List<PartitionOutcome>> run(JobRequest request, JobObserver observer) {
    checkOpen();
    CoordinatorSpec coordinator = new CoordinatorSpec(request, groups(), NodeCacheVolume.MOUNT_PATH, cacheMaxBytes());
    try {
      coordinator.actors();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new JobException(e.getMessage() + " (" + clusterName() + ")", null));
    }
    RayJobsClient client;
    try {
      client = jobsClient();
    } catch (GenevaException e) {
      return CompletableFuture.failedFuture(new JobException("job " + request.jobId() + " cannot be submitted: "
          + e.getMessage(), e));
    }
    return RayJobRun.start(client, coordinator, clusterName(), launch.entrypoint().apply(context.jvmOptions()),
        context.environment(), observer, launch.pollInterval(), launch.pollSleeper());
  }

  private List<CoordinatorSpec.Group> groups() {
    List<CoordinatorSpec.Group> groups = new ArrayList<>();
    for (WorkerGroup g : spec.workerGroups()) {
      groups.add(new CoordinatorSpec.Group(g.name(), Quantities.cpuValue(g.cpus()), g.gpus(),
          Quantities.byteValue(g.memory()), g.maxReplicas()));
    }
    return groups;
  }

  private long cacheMaxBytes() {
    return spec.nodeCache().sizeLimit().map(limit -> Quantities.byteValue(limit) / 10 * 9)
        .orElse(DEFAULT_CACHE_MAX_BYTES);
  }

  private String clusterName() {
    return "kuberay \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }

  /**
   * The head's Jobs API: the spec's dashboard address, else the head service's cluster address from
   * inside Kubernetes, else a port-forward to the head pod.
   */
  private synchronized RayJobsClient jobsClient() {
    if (jobs == null) {
      // The token first: a missing one is reported before a port-forward is opened for nothing.
      Optional<DashboardToken> token = RayTokens.resolve(spec, api, launch.environment());
      URI dashboard = spec.dashboard().orElseGet(() -> launch.environment().apply("KUBERNETES_SERVICE_HOST") != null
          ? URI.create("http://" + spec.name() + "-head-svc." + spec.namespace() + ".svc:" + RayEntrypoint.DASHBOARD_PORT)
          : portForward().uri());
      jobs = new RayJobsClient(dashboard, clusterName(), token, RayTokens.howToSend(spec));
      token.ifPresent(t -> log.debug("{}: the Jobs API gets the token from {}", clusterName(), t.source()));
    }
    return jobs;
  }

  private HeadPortForward portForward() {
    String head = api.pods(spec.namespace(), spec.name()).stream().filter(PodDiagnosis::isHead)
        .map(PodDiagnosis::name).findFirst().orElseThrow(() -> new ProvisioningException(clusterName()
            + " has no head pod to forward the dashboard port to; is the cluster still running?"));
    HeadPortForward.Tunnel tunnel = launch.tunnel() != null ? launch.tunnel() : HeadPortForward.Tunnel.of(api.client());
    forward = new HeadPortForward(tunnel, spec.namespace(), head, RayEntrypoint.DASHBOARD_PORT);
    log.info("{}: forwarding {} to the dashboard of head pod {}", clusterName(), forward.uri(), head);
    return forward;
  }

  @Override
  public void close(boolean sessionFailed) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (forward != null) {
        forward.close();
      }
    }
    ExitPolicy policy = spec.exitPolicy();
    boolean retain = policy == ExitPolicy.RETAIN || (policy == ExitPolicy.RETAIN_ON_FAILURE && sessionFailed);
    if (retain) {
      log.info("kuberay \"{}\" in namespace \"{}\": retained ({}{}); delete it with geneva cluster down or kubectl"
          + " delete raycluster {} -n {}", spec.name(), spec.namespace(), policy,
          sessionFailed ? ", the session failed" : "", spec.name(), spec.namespace());
      return;
    }
    try {
      boolean deleted = api.deleteRayCluster(spec.namespace(), spec.name(), false);
      log.info("kuberay \"{}\" in namespace \"{}\": {}", spec.name(), spec.namespace(),
          deleted ? "deleted" : "already gone");
    } catch (GenevaException e) {
      // close() throws nothing: the cluster keeps running, and the user must hear it.
      log.warn("kuberay \"{}\" in namespace \"{}\" was not deleted and keeps running: {}; delete it with kubectl"
          + " delete raycluster {} -n {}", spec.name(), spec.namespace(), e.getMessage(), spec.name(),
          spec.namespace());
    }
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the KubeRay cluster \"" + spec.name() + "\" was closed");
    }
  }
}
