package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ClusterSpec;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.spi.Cluster;
import io.geneva.spi.ClusterProvisioner;
import io.geneva.spi.ProvisionContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kuberay} cluster provisioner: runs a {@link KubeRayCluster} as a {@code ray.io/v1}
 * RayCluster through the KubeRay operator, on the official Kubernetes Java client. Found by
 * ServiceLoader; also usable directly, as {@code geneva cluster up|status|down} does.
 *
 * <p>{@link #provision} does, in order:
 *
 * <ol>
 *   <li><b>Pre-flight</b>, before anything is created: the namespace exists, KubeRay's RayCluster
 *       type is installed, the spec's service account and credentials Secret exist, and this account
 *       may create, get, patch and delete RayClusters, get and list pods, and create and patch
 *       ConfigMaps in the namespace (asked with SelfSubjectAccessReviews). What is missing is
 *       reported in one {@link io.geneva.ProvisioningException} with the command or Role rule that
 *       fixes it.
 *   <li><b>Get or create</b>: no RayCluster of the name: the {@link RayClusterRenderer rendered} one
 *       is created. One whose {@link RayClusterRenderer#SPEC_DIGEST_ANNOTATION spec digest} matches:
 *       reused. One with another digest (or none): what {@link KubeRayCluster#replacePolicy()} says:
 *       fail (the default), patch or replace. The outcome is logged at INFO and is in the cluster's
 *       {@link Cluster#description()}.
 *   <li><b>Readiness</b>: polls until {@code status.conditions} {@code HeadPodReady} and {@code
 *       RayClusterProvisioned} are true, failing at once with the pod's own reason when a pod cannot
 *       start (ImagePullBackOff, ErrImagePull, CrashLoopBackOff, OOMKilled, Unschedulable beyond a
 *       short grace, ...), and after {@link KubeRayCluster#readyTimeout()} otherwise.
 * </ol>
 *
 * <p>The returned cluster's {@code warmup}, {@code run} and {@code close} are described on {@link
 * ProvisionedRayCluster}: warmup hands the manifest to the pods and waits until each has
 * bootstrapped; {@code run} fails, as jobs on KubeRay arrive with the next issue; close applies the
 * spec's exit policy.
 *
 * <p>Kubernetes is reached as {@link KubeAccess} says: by default the kubeconfig ({@code
 * KUBECONFIG}, {@code ~/.kube/config}) in the spec's {@link KubeRayCluster#kubeContext() context} or
 * the current one, or the in-cluster service account. Stateless and thread-safe.
 */
public final class KubeRayProvisioner implements ClusterProvisioner {
  private static final Logger log = LoggerFactory.getLogger(KubeRayProvisioner.class);

  private final KubeAccess access;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ProvisionedRayCluster.JobLaunch launch;

  /** For ServiceLoader: Kubernetes reached the usual way ({@link KubeAccess#defaults()}). */
  public KubeRayProvisioner() {
    this(KubeAccess.defaults());
  }

  /** Kubernetes reached as this access says; its context, if set, wins over the spec's. */
  public KubeRayProvisioner(KubeAccess access) {
    this(access, Clock.systemUTC(), Sleeper.SYSTEM, ProvisionedRayCluster.JobLaunch.DEFAULT);
  }

  /**
   * For tests: {@code clock} dates {@link #status} (a provision uses its context's clock), {@code
   * sleeper} waits between polls of the Kubernetes API.
   */
  KubeRayProvisioner(KubeAccess access, Clock clock, Sleeper sleeper, ProvisionedRayCluster.JobLaunch launch) {
    this.access = Objects.requireNonNull(access, "access");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.launch = Objects.requireNonNull(launch, "launch");
  }

  @Override
  public String type() {
    return KubeRay.TYPE;
  }

  /**
   * Creates, reuses, patches or replaces the spec's RayCluster and waits until it is ready.
   *
   * @throws io.geneva.ConfigurationException if the spec is not valid or the Kubernetes
   *     configuration cannot be used
   * @throws io.geneva.ProvisioningException if pre-flight fails, a different cluster of the name
   *     runs and the replace policy is fail, a pod cannot start, or the cluster is not ready in time
   * @throws IllegalArgumentException if the spec is not a {@link KubeRayCluster}
   */
  @Override
  public Cluster provision(ClusterSpec spec, ProvisionContext context) {
    KubeRayCluster k = kubeRay(spec).validate();
    KubeApi api = api(k);
    Preflight.check(api, k);
    ObjectNode desired = RayClusterRenderer.render(k);
    Readiness readiness = new Readiness(api, k, context.clock(), sleeper);
    GetOrCreate.Result result = new GetOrCreate(api, k, readiness).apply(desired);
    log.info("kuberay \"{}\" in namespace \"{}\": {}; waiting for it to be ready", k.name(), k.namespace(),
        result.outcome().word());
    Readiness.Ready ready = readiness.awaitCluster();
    ProvisionedRayCluster cluster = new ProvisionedRayCluster(k, api, result, ready, context, sleeper, launch);
    log.info("{}", cluster.description());
    return cluster;
  }

  /**
   * The spec's RayCluster and pods as they are now; creates nothing and waits for nothing.
   *
   * @throws io.geneva.ProvisioningException if the API server cannot be reached or refuses
   */
  public KubeRayStatus status(KubeRayCluster spec) {
    KubeRayCluster k = spec.validate();
    KubeApi api = api(k);
    Optional<ObjectNode> rc = api.rayCluster(k.namespace(), k.name());
    if (rc.isEmpty()) {
      return new KubeRayStatus(k.name(), k.namespace(), false, Optional.empty(), false, false, List.of(), List.of());
    }
    String recorded = GetOrCreate.recordedDigest(rc.get());
    List<KubeRayStatus.Condition> conditions = Conditions.of(rc.get()).stream()
        .map(c -> new KubeRayStatus.Condition(c.type(), c.status(), c.reason(), c.message())).toList();
    String uid = Readiness.uid(rc.get());
    Instant now = clock.instant();
    List<KubeRayStatus.Pod> pods = api.pods(k.namespace(), k.name()).stream()
        .filter(p -> PodDiagnosis.ownedBy(p, uid))
        .map(p -> pod(p, k, now)).toList();
    return new KubeRayStatus(k.name(), k.namespace(), true,
        recorded.isEmpty() ? Optional.empty() : Optional.of(recorded), recorded.equals(k.digest()),
        Conditions.ready(rc.get()), conditions, pods);
  }

  private static KubeRayStatus.Pod pod(JsonNode p, KubeRayCluster spec, Instant now) {
    // A status is one look: an unschedulable pod without a transition time counts from now.
    Optional<String> problem = PodDiagnosis.problem(p, spec, now, name -> now);
    return new KubeRayStatus.Pod(PodDiagnosis.name(p), PodDiagnosis.role(p), PodDiagnosis.ready(p),
        PodDiagnosis.describe(p), problem);
  }

  /**
   * Deletes the spec's RayCluster (and so its pods, services and manifest ConfigMap), whatever spec
   * it runs; does not wait for the pods to stop.
   *
   * @return false if there was no RayCluster of the spec's name
   * @throws io.geneva.ProvisioningException if the API server cannot be reached or refuses
   */
  public boolean delete(KubeRayCluster spec) {
    KubeRayCluster k = spec.validate();
    boolean deleted = api(k).deleteRayCluster(k.namespace(), k.name(), false);
    log.info("kuberay \"{}\" in namespace \"{}\": {}", k.name(), k.namespace(), deleted ? "deleted" : "none to delete");
    return deleted;
  }

  private KubeApi api(KubeRayCluster spec) {
    return new KubeApi(access.client(spec.kubeContext()), access.describe(spec.kubeContext()));
  }

  private static KubeRayCluster kubeRay(ClusterSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (!(spec instanceof KubeRayCluster k)) {
      throw new IllegalArgumentException("the kuberay provisioner takes a KubeRayCluster (from KubeRay.cluster(name)),"
          + " not " + spec.getClass().getName());
    }
    return k;
  }

  @Override
  public String toString() {
    return "KubeRayProvisioner[" + access + "]";
  }
}
