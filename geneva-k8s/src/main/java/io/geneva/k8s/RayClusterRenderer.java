package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ConfigurationException;
import io.geneva.spi.ManifestUri;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a {@link KubeRayCluster} into the {@code ray.io/v1} {@code RayCluster} resource that the
 * KubeRay operator runs, without contacting any cluster: what {@code geneva cluster render} prints
 * and what the provisioner creates.
 *
 * <p>The resource has in-tree autoscaling (Ray's autoscaler v2) with the spec's idle timeouts, a
 * head group and one worker group per spec group, and in every pod: the package cache volume
 * mounted at {@link NodeCacheVolume#MOUNT_PATH}, and an init container ({@value #BOOTSTRAP_CONTAINER})
 * that runs {@link #BOOTSTRAP_COMMAND} before Ray starts, so packages are fetched before work
 * arrives; with a host-path cache, an init container ({@value #CACHE_OWNER_CONTAINER}) first hands
 * the node's directory to the cache's owner, whom Geneva's and Ray's containers run as. Geneva's containers get {@value #CACHE_ENV}, the manifest URI in {@value
 * #MANIFEST_ENV} (the URI itself when one is given, otherwise read at pod start from the cluster's
 * {@link #manifestConfigMap(String) manifest ConfigMap}), {@value #DEPENDENCIES_IN_IMAGE_ENV} in
 * dependencies-in-image mode, and the credentials Secret through {@code envFrom} when one is named. The spec's
 * {@link AuthOptions} become {@code spec.authOptions}, for KubeRay to turn Ray's token authentication on. The spec's override
 * patch is applied last. The RayCluster carries the label {@value #MANAGED_BY_LABEL}{@code :
 * geneva} and the spec's digest in the annotation {@value #SPEC_DIGEST_ANNOTATION}.
 *
 * <p>Stateless and thread-safe. Each call returns a new tree the caller owns.
 */
public final class RayClusterRenderer {
  /** The API version of the rendered resource. */
  public static final String API_VERSION = "ray.io/v1";

  /** The kind of the rendered resource. */
  public static final String KIND = "RayCluster";

  /** The annotation that holds the {@link KubeRayCluster#digest() spec digest}. */
  public static final String SPEC_DIGEST_ANNOTATION = "geneva.lancedb.com/spec-digest";

  /** The label that marks resources Geneva made; its value is {@code geneva}. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  /** The environment variable with the manifest URI, when the cluster is rendered for one. */
  public static final String MANIFEST_ENV = "GENEVA_MANIFEST_URI";

  /**
   * The key of the manifest URI in the cluster's {@link #manifestConfigMap(String) manifest
   * ConfigMap}: the same as the variable's name.
   */
  public static final String MANIFEST_KEY = MANIFEST_ENV;

  /** The environment variable with the package cache directory, {@link NodeCacheVolume#MOUNT_PATH}. */
  public static final String CACHE_ENV = "GENEVA_CACHE";

  /** The environment variable set to {@code true} in dependencies-in-image mode. */
  public static final String DEPENDENCIES_IN_IMAGE_ENV = "GENEVA_DEPENDENCIES_IN_IMAGE";

  /** The name of the init container that runs Geneva's bootstrap in every pod. */
  public static final String BOOTSTRAP_CONTAINER = "geneva-bootstrap";

  /**
   * The name of the init container that, with a host-path cache, hands the node's cache directory
   * to the cache's owner before {@value #BOOTSTRAP_CONTAINER} runs.
   */
  public static final String CACHE_OWNER_CONTAINER = "geneva-cache-owner";

  /**
   * The init container's command: Geneva's bootstrap, from Geneva's runtime jars in the image's
   * {@code /opt/geneva/lib}. It reads {@value #MANIFEST_ENV} and {@value #CACHE_ENV}, fetches the
   * manifest's missing packages into the cache, and exits; without a manifest it only prepares the
   * cache. (The JVM expands the {@code *} itself; no shell is involved.)
   */
  public static final List<String> BOOTSTRAP_COMMAND =
      List.of("java", "-cp", "/opt/geneva/lib/*", "io.geneva.internal.worker.BootstrapMain");

  private RayClusterRenderer() {}

  /**
   * The name of the ConfigMap, in the cluster's namespace, from which a cluster rendered without a
   * manifest reads its manifest URI: {@code geneva-<cluster name>-manifest}, key {@value
   * #MANIFEST_KEY}. A pod reads it once, when it starts, so pods started after the ConfigMap changes
   * bootstrap the new manifest and pods already running keep the one they fetched. The provisioner
   * writes it at each warmup; without it (it is optional) pods start with no manifest to fetch.
   */
  public static String manifestConfigMap(String clusterName) {
    return "geneva-" + clusterName + "-manifest";
  }

  /**
   * The RayCluster for the spec, for no manifest in particular: every pod reads the manifest URI
   * from the {@link #manifestConfigMap(String) manifest ConfigMap} when it starts, so the cluster
   * serves whichever manifest a session publishes later. This is what the provisioner creates.
   *
   * @throws ConfigurationException if the spec is not valid
   */
  public static ObjectNode render(KubeRayCluster spec) {
    return render(spec, Optional.empty());
  }

  /**
   * The RayCluster for the spec, with every pod fetching this manifest's packages at start.
   *
   * @throws ConfigurationException if the spec is not valid or the URI is not a {@linkplain ManifestUri
   *     manifest URI}
   */
  public static ObjectNode render(KubeRayCluster spec, URI manifest) {
    Objects.requireNonNull(manifest, "manifest");
    try {
      ManifestUri.of(manifest);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage() + ", such as s3://bucket/geneva/manifests/<sha256>.json");
    }
    return render(spec, Optional.of(manifest));
  }

  /** {@link #render(KubeRayCluster)} as YAML. */
  public static String renderYaml(KubeRayCluster spec) {
    return toYaml(render(spec));
  }

  /** {@link #render(KubeRayCluster, URI)} as YAML. */
  public static String renderYaml(KubeRayCluster spec, URI manifest) {
    return toYaml(render(spec, manifest));
  }

  /** A resource as YAML the way {@code kubectl} users expect it: no document marker, few quotes. */
  public static String toYaml(JsonNode resource) {
    return Json.yaml(resource);
  }

  /** The CRD's {@code authOptions}: {@code mode}, and {@code secretName} and {@code enableK8sTokenAuth} when set. */
  static ObjectNode authOptions(AuthOptions a) {
    ObjectNode o = Json.object();
    o.put("mode", a.mode().kubernetesName());
    a.secretName().ifPresent(name -> o.put("secretName", name));
    if (a.enableK8sTokenAuth()) {
      o.put("enableK8sTokenAuth", true);
    }
    return o;
  }

  private static ObjectNode render(KubeRayCluster spec, Optional<URI> manifest) {
    spec.validate();
    ObjectNode cluster = Json.object();
    cluster.put("apiVersion", API_VERSION);
    cluster.put("kind", KIND);
    ObjectNode metadata = cluster.putObject("metadata");
    metadata.put("name", spec.name());
    metadata.put("namespace", spec.namespace());
    metadata.putObject("labels").put(MANAGED_BY_LABEL, "geneva");
    metadata.putObject("annotations").put(SPEC_DIGEST_ANNOTATION, SpecDigest.of(spec));

    ObjectNode body = cluster.putObject("spec");
    body.put("rayVersion", spec.rayVersion());
    spec.authOptions().ifPresent(a -> body.set("authOptions", authOptions(a)));
    body.put("enableInTreeAutoscaling", true);
    ObjectNode autoscaler = body.putObject("autoscalerOptions");
    // v2: the autoscaler that honours each worker group's own idleTimeoutSeconds.
    autoscaler.put("version", "v2");
    autoscaler.put("upscalingMode", "Default");
    autoscaler.put("idleTimeoutSeconds", Math.toIntExact(spec.idleTimeout().getSeconds()));

    PodTemplates pods = new PodTemplates(spec, manifest);
    ObjectNode head = body.putObject("headGroupSpec");
    head.putObject("rayStartParams").put("dashboard-host", "0.0.0.0");
    head.set("template", pods.head());

    ArrayNode workers = body.putArray("workerGroupSpecs");
    for (WorkerGroup group : spec.workerGroups()) {
      ObjectNode w = workers.addObject();
      w.put("groupName", group.name());
      w.put("replicas", group.replicas());
      w.put("minReplicas", group.minReplicas());
      w.put("maxReplicas", group.maxReplicas());
      group.idleTimeout().ifPresent(d -> w.put("idleTimeoutSeconds", Math.toIntExact(d.getSeconds())));
      w.putObject("rayStartParams");
      w.set("template", pods.worker(group));
    }
    return spec.overrideNode().map(patch -> (ObjectNode) MergePatch.apply(cluster, patch)).orElse(cluster);
  }
}
