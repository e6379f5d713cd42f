package io.geneva.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders the pod templates of one cluster: what is common to every pod, and each group's shape. */
final class PodTemplates {
  private static final String CACHE_VOLUME = "geneva-cache";
  private static final String GPU_RESOURCE = "nvidia.com/gpu";

  private final KubeRayCluster spec;
  private final Optional<URI> manifest;

  PodTemplates(KubeRayCluster spec, Optional<URI> manifest) {
    this.spec = spec;
    this.manifest = manifest;
  }

  ObjectNode head() {
    HeadGroup head = spec.head();
    ObjectNode template = template(head.pods(), head.nodeSelector(), spec.headImage().orElseThrow());
    rayContainer(template, "ray-head", head.pods(), spec.headImage().orElseThrow(), true);
    return template;
  }

  ObjectNode worker(WorkerGroup group) {
    ObjectNode template = template(group.pods(), group.nodeSelector(), spec.workerImage().orElseThrow());
    rayContainer(template, "ray-worker", group.pods(), spec.workerImage().orElseThrow(), false);
    return template;
  }

  /** The pod template without its Ray container. */
  private ObjectNode template(PodShape pods, Map<String, String> nodeSelector, String image) {
    ObjectNode template = Json.object();
    if (!pods.labels().isEmpty()) {
      pods.labels().forEach(template.putObject("metadata").putObject("labels")::put);
    }
    ObjectNode podSpec = template.putObject("spec");
    spec.serviceAccount().ifPresent(sa -> podSpec.put("serviceAccountName", sa));
    if (!nodeSelector.isEmpty()) {
      nodeSelector.forEach(podSpec.putObject("nodeSelector")::put);
    }
    if (!pods.tolerations().isEmpty()) {
      ArrayNode tolerations = podSpec.putArray("tolerations");
      pods.tolerations().forEach(t -> tolerations.add(toleration(t)));
    }
    ArrayNode initContainers = podSpec.putArray("initContainers");
    NodeCacheVolume cache = spec.nodeCache();
    if (cache.kind() == NodeCacheVolume.Kind.HOST_PATH) {
      cacheOwner(initContainers.addObject(), pods, image, cache);
    }
    ObjectNode bootstrap = initContainers.addObject();
    bootstrap.put("name", RayClusterRenderer.BOOTSTRAP_CONTAINER);
    bootstrap.put("image", image);
    ArrayNode command = bootstrap.putArray("command");
    RayClusterRenderer.BOOTSTRAP_COMMAND.forEach(command::add);
    // The bootstrap's one-line error (its last line of output) becomes the termination message that
    // the provisioner reports when the bootstrap fails.
    bootstrap.put("terminationMessagePolicy", "FallbackToLogsOnError");
    genevaEnvironment(bootstrap, pods);
    // The same CPU and memory as the Ray container: an init container's resources then add nothing
    // to what the pod asks of the scheduler.
    bootstrap.set("resources", resources(pods, false));
    cacheMount(bootstrap);
    runAsCacheOwner(bootstrap);
    podSpec.putArray("containers");
    podSpec.putArray("volumes").add(cacheVolume());
    return template;
  }

  private void rayContainer(ObjectNode template, String name, PodShape pods, String image, boolean head) {
    ObjectNode podSpec = (ObjectNode) template.get("spec");
    ObjectNode ray = ((ArrayNode) podSpec.get("containers")).addObject();
    ray.put("name", name);
    ray.put("image", image);
    if (head) {
      ArrayNode ports = ray.putArray("ports");
      port(ports, 6379, "gcs-server");
      port(ports, 8265, "dashboard");
      port(ports, 10001, "client");
    }
    genevaEnvironment(ray, pods);
    ray.set("resources", resources(pods, true));
    cacheMount(ray);
    runAsCacheOwner(ray);
  }

  /**
   * Kubernetes creates a missing host-path directory owned by root, and Ray's images run as a user:
   * this init container, the only one run as root, hands the node's cache directory to the cache's
   * owner (owner-only, as Geneva keeps its cache) before Geneva's bootstrap writes to it.
   */
  private static void cacheOwner(ObjectNode container, PodShape pods, String image, NodeCacheVolume cache) {
    container.put("name", RayClusterRenderer.CACHE_OWNER_CONTAINER);
    container.put("image", image);
    String owner = cache.uid() + ":" + cache.gid();
    ArrayNode command = container.putArray("command");
    List.of("sh", "-c", "chown " + owner + " " + NodeCacheVolume.MOUNT_PATH + " && chmod 0700 " + NodeCacheVolume.MOUNT_PATH)
        .forEach(command::add);
    container.putObject("securityContext").put("runAsUser", 0).put("runAsGroup", 0).put("runAsNonRoot", false);
    container.set("resources", resources(pods, false));
    cacheMount(container);
  }

  /** A container that uses a host-path cache runs as its owner, who alone may read and write it. */
  private void runAsCacheOwner(ObjectNode container) {
    NodeCacheVolume cache = spec.nodeCache();
    if (cache.kind() == NodeCacheVolume.Kind.HOST_PATH) {
      ObjectNode context = container.putObject("securityContext");
      context.set("runAsUser", id(cache.uid()));
      context.set("runAsGroup", id(cache.gid()));
    }
  }

  private void genevaEnvironment(ObjectNode container, PodShape pods) {
    ArrayNode env = container.putArray("env");
    if (manifest.isPresent()) {
      env(env, RayClusterRenderer.MANIFEST_ENV, manifest.get().toString());
    } else {
      env.addObject().put("name", RayClusterRenderer.MANIFEST_ENV).putObject("valueFrom")
          .putObject("configMapKeyRef")
          .put("name", RayClusterRenderer.manifestConfigMap(spec.name()))
          .put("key", RayClusterRenderer.MANIFEST_KEY)
          .put("optional", true);
    }
    env(env, RayClusterRenderer.CACHE_ENV, NodeCacheVolume.MOUNT_PATH);
    if (spec.dependenciesInImage()) {
      env(env, RayClusterRenderer.DEPENDENCIES_IN_IMAGE_ENV, "true");
    }
    pods.env().forEach((k, v) -> env(env, k, v));
    spec.credentialsSecret().ifPresent(secret ->
        container.putArray("envFrom").addObject().putObject("secretRef").put("name", secret));
  }

  /** A user or group id as YAML reads it back: an int where it fits one. */
  private static NumericNode id(long id) {
    return id == (int) id ? IntNode.valueOf((int) id) : LongNode.valueOf(id);
  }

  private static void env(ArrayNode env, String name, String value) {
    env.addObject().put("name", name).put("value", value);
  }

  private static ObjectNode resources(PodShape pods, boolean withGpus) {
    ObjectNode resources = Json.object();
    for (String bound : new String[] {"requests", "limits"}) {
      ObjectNode b = resources.putObject(bound);
      b.put("cpu", pods.cpus());
      b.put("memory", pods.memory());
      if (withGpus && pods.gpus() > 0) {
        b.put(GPU_RESOURCE, Integer.toString(pods.gpus()));
      }
    }
    return resources;
  }

  private static void cacheMount(ObjectNode container) {
    container.putArray("volumeMounts").addObject().put("name", CACHE_VOLUME).put("mountPath", NodeCacheVolume.MOUNT_PATH);
  }

  private ObjectNode cacheVolume() {
    ObjectNode volume = Json.object().put("name", CACHE_VOLUME);
    NodeCacheVolume cache = spec.nodeCache();
    if (cache.kind() == NodeCacheVolume.Kind.HOST_PATH) {
      volume.putObject("hostPath").put("path", cache.nodeDirectory().orElseThrow()).put("type", "DirectoryOrCreate");
    } else {
      ObjectNode emptyDir = volume.putObject("emptyDir");
      cache.sizeLimit().ifPresent(limit -> emptyDir.put("sizeLimit", limit));
    }
    return volume;
  }

  private static ObjectNode toleration(Toleration t) {
    ObjectNode n = Json.object();
    if (!t.key().isEmpty()) {
      n.put("key", t.key());
    }
    n.put("operator", t.operator().kubernetesName());
    t.value().ifPresent(v -> n.put("value", v));
    t.effect().ifPresent(e -> n.put("effect", e.kubernetesName()));
    t.tolerationSeconds().ifPresent(d -> n.put("tolerationSeconds", Math.toIntExact(d.getSeconds())));
    return n;
  }

  private static void port(ArrayNode ports, int number, String name) {
    ports.addObject().put("containerPort", number).put("name", name);
  }
}
