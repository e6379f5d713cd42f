package io.geneva.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.geneva.ClusterSpec;
import io.geneva.ConfigurationException;
import io.geneva.ExitPolicy;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A Ray cluster on Kubernetes, run by the KubeRay operator: what {@link RayClusterRenderer} turns
 * into a {@code ray.io/v1} {@code RayCluster}. Made by {@link KubeRay#cluster(String)} or read from
 * YAML by {@link ClusterSpecFile}.
 *
 * <pre>{@code
 * KubeRay.cluster("dev").namespace("ml").image("registry.example.com/geneva-ray:2.39.0")
 *     .head(h -> h.cpus(4).memory("8Gi"))
 *     .workerGroup(w -> w.name("cpu").replicas(2).minReplicas(1).maxReplicas(20)
 *                        .idleTimeout(Duration.ofMinutes(10)))
 * }</pre>
 *
 * <p><b>Checks.</b> The {@code with}-style methods refuse only nulls and text that cannot be read
 * (an override that is not JSON or YAML). Everything else is checked together by {@link
 * #validate()}, which the renderer and the provisioner call before anything else, and which
 * reports every problem at once, each named by its path ({@code workerGroups[1].minReplicas}).
 *
 * <p><b>Digest.</b> {@link #digest()} identifies everything that shapes the cluster: not the exit
 * policy, the {@link #replacePolicy(ReplacePolicy) replace policy}, the {@link #readyTimeout(Duration)
 * ready timeout}, the {@link #kubeContext(String) kubeconfig context}, the {@link #dashboard(URI)
 * dashboard address} or the {@link #rayToken(RayToken) token's source}, which say how Geneva treats
 * the cluster rather than what it is. A running cluster whose recorded digest matches is reused.
 *
 * <p>Immutable and thread-safe: every {@code with}-style method returns a new spec.
 */
public final class KubeRayCluster implements ClusterSpec {
  /** The namespace unless set. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** The Ray version unless set: the newest {@code io.ray:ray-api} on Maven Central. */
  public static final String DEFAULT_RAY_VERSION = "2.39.0";

  /** How long a worker pod stays idle before the autoscaler removes it, unless set: Ray's default. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** How long provisioning and warmup wait for pods to be ready, unless set. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(10);

  private final State s;

  private KubeRayCluster(State s) {
    this.s = s;
  }

  static KubeRayCluster named(String name) {
    Objects.requireNonNull(name, "name");
    State s = new State();
    s.name = name;
    return new KubeRayCluster(s);
  }

  private KubeRayCluster with(Consumer<State> change) {
    State copy = s.copy();
    change.accept(copy);
    return new KubeRayCluster(copy);
  }

  /** This spec with another name: a DNS-1035 label of at most 53 characters. */
  public KubeRayCluster name(String newName) {
    Objects.requireNonNull(newName, "name");
    return with(c -> c.name = newName);
  }

  /** This spec in another namespace (default {@value #DEFAULT_NAMESPACE}); it must exist. */
  public KubeRayCluster namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return with(c -> c.namespace = namespace);
  }

  /**
   * The container image of the head and the workers, unless {@link #headImage(String)} or {@link
   * #workerImage(String)} say otherwise. It must hold Ray ({@link #rayVersion()}), a JVM, and
   * Geneva's runtime in {@code /opt/geneva/lib} (see {@link RayClusterRenderer#BOOTSTRAP_COMMAND}).
   */
  public KubeRayCluster image(String image) {
    Objects.requireNonNull(image, "image");
    return with(c -> c.image = Optional.of(image));
  }

  /** The container image of the head pod, instead of {@link #image(String)}. */
  public KubeRayCluster headImage(String image) {
    Objects.requireNonNull(image, "image");
    return with(c -> c.headImage = Optional.of(image));
  }

  /** The container image of the worker pods, instead of {@link #image(String)}. */
  public KubeRayCluster workerImage(String image) {
    Objects.requireNonNull(image, "image");
    return with(c -> c.workerImage = Optional.of(image));
  }

  /**
   * The Kubernetes service account of every pod (default: the namespace's {@code default}). Unless
   * {@link #credentialsSecret(String)} is set, pods reach storage with this account's identity
   * (IRSA on EKS, workload identity on GKE and AKS).
   */
  public KubeRayCluster serviceAccount(String name) {
    Objects.requireNonNull(name, "name");
    return with(c -> c.serviceAccount = Optional.of(name));
  }

  /** This spec with the head group built from its current one by {@code configure}. */
  public KubeRayCluster head(Consumer<HeadGroup.Builder> configure) {
    HeadGroup.Builder b = s.head.toBuilder();
    configure.accept(b);
    return head(b.build());
  }

  /** This spec with this head group. */
  public KubeRayCluster head(HeadGroup head) {
    Objects.requireNonNull(head, "head");
    return with(c -> c.head = head);
  }

  /** This spec with one more worker group, built by {@code configure}. */
  public KubeRayCluster workerGroup(Consumer<WorkerGroup.Builder> configure) {
    WorkerGroup.Builder b = WorkerGroup.builder();
    configure.accept(b);
    return workerGroup(b.build());
  }

  /** This spec with one more worker group. */
  public KubeRayCluster workerGroup(WorkerGroup group) {
    Objects.requireNonNull(group, "group");
    return with(c -> c.workerGroups = append(c.workerGroups, group));
  }

  /** This spec with these worker groups instead of its own. */
  public KubeRayCluster workerGroups(List<WorkerGroup> groups) {
    List<WorkerGroup> copy = List.copyOf(groups);
    return with(c -> c.workerGroups = copy);
  }

  /**
   * How long a worker pod stays idle before Ray's autoscaler removes it (default 60 seconds), for
   * groups without their own; whole seconds. Rendered as {@code autoscalerOptions.idleTimeoutSeconds}.
   */
  public KubeRayCluster idleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return with(c -> c.idleTimeout = timeout);
  }

  /** What happens to the cluster when the session closes (default {@link ExitPolicy#DELETE}). */
  public KubeRayCluster exitPolicy(ExitPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return with(c -> c.exitPolicy = policy);
  }

  /**
   * What the provisioner does when a RayCluster of this name already runs a different spec (default
   * {@link ReplacePolicy#FAIL}: nothing, and says what the choices are).
   */
  public KubeRayCluster replacePolicy(ReplacePolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return with(c -> c.replacePolicy = policy);
  }

  /**
   * How long the provisioner waits for the cluster to be ready, and warmup for every pod to have
   * bootstrapped (default 10 minutes). A pod that cannot start (an image that cannot be pulled, a
   * crash loop, a container killed for memory, no node to run on) fails the wait at once instead.
   */
  public KubeRayCluster readyTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return with(c -> c.readyTimeout = timeout);
  }

  /**
   * The kubeconfig context of the Kubernetes cluster to run in (default: the kubeconfig's current
   * context, or the in-cluster service account when there is no kubeconfig). See {@link KubeAccess}.
   */
  public KubeRayCluster kubeContext(String context) {
    Objects.requireNonNull(context, "context");
    return with(c -> c.kubeContext = Optional.of(context));
  }

  /**
   * The head's Ray dashboard (the Jobs REST API, port 8265) as this session reaches it, for example
   * through an ingress or a {@code kubectl port-forward svc/<name>-head-svc 8265:8265} of the
   * user's. By default a session inside Kubernetes uses the head service's cluster address ({@code
   * http://<name>-head-svc.<namespace>.svc:8265}) and one outside forwards a local port to the head
   * pod through the Kubernetes API, as {@code kubectl port-forward} does.
   */
  public KubeRayCluster dashboard(URI uri) {
    Objects.requireNonNull(uri, "uri");
    return with(c -> c.dashboard = Optional.of(uri));
  }

  /**
   * Whether the image already holds the application's dependency jars (default false), for sessions
   * opened with {@link io.geneva.GenevaSession.Builder#dependenciesInImage(boolean)}: every Geneva and
   * Ray container gets {@code GENEVA_DEPENDENCIES_IN_IMAGE=true}, and the bootstrap finds the
   * manifest's provided jars by digest in the image's library directory ({@code GENEVA_IMAGE_LIB},
   * default {@code /opt/app/lib}; set it with the head's and groups' {@code env} to use another).
   * {@code geneva image-deps --manifest URI} lists what the image needs.
   */
  public KubeRayCluster dependenciesInImage(boolean inImage) {
    return with(c -> c.dependenciesInImage = inImage);
  }

  /**
   * Storage credentials from this Kubernetes Secret in the cluster's namespace, whose keys become
   * environment variables of every Geneva and Ray container ({@code envFrom}), such as {@code
   * AWS_ACCESS_KEY_ID}. Geneva only names the Secret; it never reads or copies it. Default: none,
   * the pods use the service account's identity.
   */
  public KubeRayCluster credentialsSecret(String secretName) {
    Objects.requireNonNull(secretName, "secretName");
    return with(c -> c.credentialsSecret = Optional.of(secretName));
  }

  /** Where the package cache lives in the pods (default {@link NodeCacheVolume#hostPath()}). */
  public KubeRayCluster nodeCache(NodeCacheVolume cache) {
    Objects.requireNonNull(cache, "cache");
    return with(c -> c.nodeCache = cache);
  }

  /**
   * A JSON merge patch (RFC 7386) applied to the generated RayCluster last, for what this spec does
   * not model: objects merge, {@code null} removes a field, and any other value, arrays included,
   * replaces. So changing one container means restating the whole {@code containers} list; prefer
   * this spec's own options where there is one. The patch may not change {@code apiVersion}, {@code
   * kind}, {@code status}, the name, the namespace or the spec-digest annotation.
   *
   * @param patch the patch as nested maps, lists and scalars
   * @throws ConfigurationException if the patch cannot be turned into JSON
   */
  public KubeRayCluster override(Map<String, ? extends @Nullable Object> patch) {
    Objects.requireNonNull(patch, "patch");
    JsonNode node;
    try {
      node = Json.JSON.valueToTree(patch);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("override: the patch cannot be written as JSON: " + e.getMessage(), e);
    }
    String canonical = Json.canonical(node);
    return with(c -> c.override = Optional.of(canonical));
  }

  /**
   * A JSON merge patch as JSON or YAML text; see {@link #override(Map)}.
   *
   * @throws ConfigurationException if the text is not JSON or YAML, or not an object
   */
  public KubeRayCluster override(String patch) {
    Objects.requireNonNull(patch, "patch");
    JsonNode node;
    try {
      node = Json.YAML_READER.readTree(patch);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(
          "override: the patch is neither JSON nor YAML: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ConfigurationException("override: the patch must be an object (a mapping), like"
          + " {\"spec\": {\"headGroupSpec\": {\"serviceType\": \"NodePort\"}}}");
    }
    String canonical = Json.canonical(node);
    return with(c -> c.override = Optional.of(canonical));
  }

  /**
   * Ray's token authentication, rendered as the RayCluster's {@code authOptions} (KubeRay 1.5.1 or
   * newer; 1.6 for its {@code secretName} and {@code enableK8sTokenAuth}); default none, which leaves
   * it to the image's Ray. See {@link AuthOptions}.
   */
  public KubeRayCluster authOptions(AuthOptions options) {
    Objects.requireNonNull(options, "options");
    return with(c -> c.authOptions = Optional.of(options));
  }

  /** This spec with {@link AuthOptions} built by {@code configure}, from token mode. */
  public KubeRayCluster authOptions(Consumer<AuthOptions.Builder> configure) {
    AuthOptions.Builder b = s.authOptions.map(AuthOptions::toBuilder).orElseGet(AuthOptions::builder);
    configure.accept(b);
    return authOptions(b.build());
  }

  /**
   * Where the session finds the token it sends to the head's dashboard; default: the Secret that
   * {@link #authOptions(AuthOptions) authOptions} hands to Ray (see {@link RayToken}), or none
   * without authOptions. Set it for a cluster whose image turns token authentication on by itself.
   */
  public KubeRayCluster rayToken(RayToken token) {
    Objects.requireNonNull(token, "token");
    return with(c -> c.rayToken = Optional.of(token));
  }

  /** The Ray version in the image (default {@value #DEFAULT_RAY_VERSION}); 2.10.0 or newer. */
  public KubeRayCluster rayVersion(String version) {
    Objects.requireNonNull(version, "version");
    return with(c -> c.rayVersion = version);
  }

  /**
   * Checks the whole spec.
   *
   * @return this spec
   * @throws ConfigurationException listing every problem, each named by its field's path
   */
  public KubeRayCluster validate() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw Problems.exception("KubeRay cluster \"" + s.name + "\"", problems);
    }
    return this;
  }

  /** Every problem of the spec, each starting with its path; empty if valid. */
  List<String> problems() {
    return SpecValidator.problems(this);
  }

  /**
   * The SHA-256, in hex, of a canonical rendering of everything that shapes the cluster: all but
   * the exit policy. Recorded on the RayCluster as the annotation {@link
   * RayClusterRenderer#SPEC_DIGEST_ANNOTATION}; equal specs have equal digests on every machine.
   *
   * @throws ConfigurationException if the spec is not valid
   */
  public String digest() {
    validate();
    return SpecDigest.of(this);
  }

  @Override
  public String type() {
    return KubeRay.TYPE;
  }

  @Override
  public String name() {
    return s.name;
  }

  @Override
  public ExitPolicy exitPolicy() {
    return s.exitPolicy;
  }

  /** The namespace. */
  public String namespace() {
    return s.namespace;
  }

  /** The image of both head and workers, if set. */
  public Optional<String> image() {
    return s.image;
  }

  /** The head's image: {@link #headImage(String)} if set, else {@link #image(String)}. */
  public Optional<String> headImage() {
    return s.headImage.or(() -> s.image);
  }

  /** The workers' image: {@link #workerImage(String)} if set, else {@link #image(String)}. */
  public Optional<String> workerImage() {
    return s.workerImage.or(() -> s.image);
  }

  /** The service account, if not the namespace's default. */
  public Optional<String> serviceAccount() {
    return s.serviceAccount;
  }

  /** The head group. */
  public HeadGroup head() {
    return s.head;
  }

  /** The worker groups, in order. */
  public List<WorkerGroup> workerGroups() {
    return s.workerGroups;
  }

  /** How long a worker pod stays idle before the autoscaler removes it. */
  public Duration idleTimeout() {
    return s.idleTimeout;
  }

  /** What the provisioner does when a RayCluster of this name runs a different spec. */
  public ReplacePolicy replacePolicy() {
    return s.replacePolicy;
  }

  /** How long provisioning and warmup wait for pods to be ready. */
  public Duration readyTimeout() {
    return s.readyTimeout;
  }

  /** The kubeconfig context to use, if not the current one. */
  public Optional<String> kubeContext() {
    return s.kubeContext;
  }

  /** The head's dashboard address, if set; see {@link #dashboard(URI)}. */
  public Optional<URI> dashboard() {
    return s.dashboard;
  }

  /** Whether the image holds the application's dependency jars. */
  public boolean dependenciesInImage() {
    return s.dependenciesInImage;
  }

  /** The Secret that storage credentials come from; empty for the service account's identity. */
  public Optional<String> credentialsSecret() {
    return s.credentialsSecret;
  }

  /** Where the package cache lives in the pods. */
  public NodeCacheVolume nodeCache() {
    return s.nodeCache;
  }

  /** The merge patch applied last, as canonical JSON (keys sorted), if set. */
  public Optional<String> override() {
    return s.override;
  }

  /** The Ray version in the image. */
  public String rayVersion() {
    return s.rayVersion;
  }

  /** The RayCluster's {@code authOptions}, if set. */
  public Optional<AuthOptions> authOptions() {
    return s.authOptions;
  }

  /** Where the token comes from, if set; see {@link #effectiveRayToken()} for the default. */
  public Optional<RayToken> rayToken() {
    return s.rayToken;
  }

  /**
   * Where the session finds the token: {@link #rayToken()} if set; else, with {@code authOptions}
   * mode token, the Secret KubeRay hands to Ray (key {@value RayToken#DEFAULT_SECRET_KEY}), or the
   * variable {@value RayToken#DEFAULT_ENV} with {@code enableK8sTokenAuth}; else none.
   */
  public Optional<RayToken> effectiveRayToken() {
    if (s.rayToken.isPresent()) {
      return s.rayToken;
    }
    return s.authOptions.filter(AuthOptions::requiresToken).map(a -> a.enableK8sTokenAuth()
        ? RayToken.fromEnv(RayToken.DEFAULT_ENV)
        : RayToken.fromSecret(a.secretName().orElse(s.name)));
  }

  Optional<JsonNode> overrideNode() {
    return s.override.map(text -> {
      try {
        return Json.JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e); // canonical JSON written by this class
      }
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KubeRayCluster k && s.values().equals(k.s.values());
  }

  @Override
  public int hashCode() {
    return s.values().hashCode();
  }

  @Override
  public String toString() {
    return "KubeRayCluster[" + s.name + " in " + s.namespace + ", " + s.workerGroups.size() + " worker groups, "
        + s.exitPolicy + "]";
  }

  private static <T> List<T> append(List<T> list, T element) {
    List<T> out = new ArrayList<>(list);
    out.add(element);
    return List.copyOf(out);
  }

  /** The fields, copied by every with-style method. */
  private static final class State implements Cloneable {
    String name = "";
    String namespace = DEFAULT_NAMESPACE;
    Optional<String> image = Optional.empty();
    Optional<String> headImage = Optional.empty();
    Optional<String> workerImage = Optional.empty();
    Optional<String> serviceAccount = Optional.empty();
    HeadGroup head = HeadGroup.defaults();
    List<WorkerGroup> workerGroups = List.of();
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    ExitPolicy exitPolicy = ExitPolicy.DELETE;
    boolean dependenciesInImage;
    Optional<String> credentialsSecret = Optional.empty();
    NodeCacheVolume nodeCache = NodeCacheVolume.hostPath();
    Optional<String> override = Optional.empty();
    String rayVersion = DEFAULT_RAY_VERSION;
    ReplacePolicy replacePolicy = ReplacePolicy.FAIL;
    Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    Optional<String> kubeContext = Optional.empty();
    Optional<URI> dashboard = Optional.empty();
    Optional<AuthOptions> authOptions = Optional.empty();
    Optional<RayToken> rayToken = Optional.empty();

    State copy() {
      try {
        return (State) clone(); // every field is immutable, so a shallow copy is a full one
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    List<Object> values() {
      // images as resolved: image(x) equals headImage(x).workerImage(x)
      return List.of(name, namespace, headImage.or(() -> image), workerImage.or(() -> image), serviceAccount,
          head, workerGroups,
          idleTimeout, exitPolicy, dependenciesInImage, credentialsSecret, nodeCache, override, rayVersion,
          replacePolicy, readyTimeout, kubeContext, dashboard, authOptions, rayToken);
    }
  }
}
