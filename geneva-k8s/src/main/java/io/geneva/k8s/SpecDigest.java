package io.geneva.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The digest of a {@link KubeRayCluster}: SHA-256 over canonical JSON (keys sorted, defaults
 * resolved) of every field that shapes the cluster. The exit policy is left out: it says what
 * happens after the session, not what the cluster is.
 */
final class SpecDigest {
  /**
   * Raise when the renderer's output for the same spec changes, so that clusters made by an older
   * Geneva are not reused as if they matched.
   */
  static final int RENDERING = 2;

  private SpecDigest() {}

  static String of(KubeRayCluster spec) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(canonical(spec).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** The canonical text that is hashed. */
  static String canonical(KubeRayCluster spec) {
    ObjectNode o = Json.object();
    o.put("rendering", RENDERING);
    o.put("type", spec.type());
    o.put("name", spec.name());
    o.put("namespace", spec.namespace());
    o.put("headImage", spec.headImage().orElse(""));
    o.put("workerImage", spec.workerImage().orElse(""));
    o.put("serviceAccount", spec.serviceAccount().orElse(""));
    o.put("credentialsSecret", spec.credentialsSecret().orElse(""));
    o.put("idleTimeoutSeconds", spec.idleTimeout().getSeconds());
    o.put("dependenciesInImage", spec.dependenciesInImage());
    o.put("rayVersion", spec.rayVersion());
    ObjectNode cache = o.putObject("nodeCache");
    cache.put("kind", spec.nodeCache().kind().name());
    cache.put("nodeDirectory", spec.nodeCache().nodeDirectory().orElse(""));
    cache.put("sizeLimit", spec.nodeCache().sizeLimit().orElse(""));
    ObjectNode head = o.putObject("head");
    pods(head, spec.head().cpus(), spec.head().memory(), spec.head().gpus(), spec.head().nodeSelector(),
        spec.head().pods());
    ArrayNode groups = o.putArray("workerGroups");
    for (WorkerGroup g : spec.workerGroups()) {
      ObjectNode group = groups.addObject();
      group.put("name", g.name());
      group.put("replicas", g.replicas());
      group.put("minReplicas", g.minReplicas());
      group.put("maxReplicas", g.maxReplicas());
      group.put("idleTimeoutSeconds", g.idleTimeout().map(Duration::getSeconds).orElse(0L));
      pods(group, g.cpus(), g.memory(), g.gpus(), g.nodeSelector(), g.pods());
    }
    spec.overrideNode().ifPresent(patch -> o.set("override", patch));
    // Only when set, so that the digests of clusters without it stay what they were.
    spec.authOptions().ifPresent(a -> o.set("authOptions", RayClusterRenderer.authOptions(a)));
    return Json.canonical(o);
  }

  private static void pods(ObjectNode out, String cpus, String memory, int gpus, Map<String, String> nodeSelector,
      PodShape pods) {
    out.put("cpus", cpus);
    out.put("memory", memory);
    out.put("gpus", gpus);
    map(out.putObject("nodeSelector"), nodeSelector);
    map(out.putObject("labels"), pods.labels());
    map(out.putObject("env"), pods.env());
    ArrayNode tolerations = out.putArray("tolerations");
    for (Toleration t : pods.tolerations()) {
      ObjectNode n = tolerations.addObject();
      n.put("key", t.key());
      n.put("operator", t.operator().kubernetesName());
      n.put("value", t.value().orElse(""));
      n.put("effect", t.effect().map(Toleration.Effect::kubernetesName).orElse(""));
      n.put("tolerationSeconds", t.tolerationSeconds().map(Duration::getSeconds).orElse(-1L));
    }
  }

  private static void map(ObjectNode out, Map<String, String> map) {
    map.forEach(out::put);
  }
}
