package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a whole {@link KubeRayCluster}, naming each problem by the path of its field as a spec
 * file spells it ({@code workerGroups[1].minReplicas}).
 */
final class SpecValidator {
  /** Environment variables Geneva sets itself; a spec may not set them. */
  static final Set<String> RESERVED_ENV = Set.of(
      RayClusterRenderer.MANIFEST_ENV, RayClusterRenderer.CACHE_ENV, RayClusterRenderer.DEPENDENCIES_IN_IMAGE_ENV);

  private static final Pattern RAY_VERSION = Pattern.compile("([0-9]+)\\.([0-9]+)(\\.[0-9]+)?([-.+][0-9A-Za-z.-]+)?");

  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern ENV_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SpecValidator() {}

  static List<String> problems(KubeRayCluster spec) {
    Problems p = new Problems();
    Names.clusterName(spec.name(), "name", p);
    Names.label(spec.namespace(), "namespace", "namespace name", p);
    images(spec, p);
    spec.serviceAccount().ifPresent(sa -> Names.subdomain(sa, "serviceAccount", "service account name", p));
    spec.credentialsSecret().ifPresent(s -> Names.subdomain(s, "credentialsSecret", "Secret name", p));
    idleTimeout(spec.idleTimeout(), "idleTimeout", p);
    readyTimeout(spec.readyTimeout(), p);
    spec.kubeContext().filter(String::isBlank).ifPresent(c -> p.add("kubeContext", "is empty; name a context of"
        + " your kubeconfig (kubectl config get-contexts), or leave it out for the current one"));
    spec.dashboard().ifPresent(d -> {
      if (!("http".equals(d.getScheme()) || "https".equals(d.getScheme())) || d.getHost() == null) {
        p.add("dashboard", Names.quote(d.toString()) + " is not an http(s) address; use the head's dashboard, like"
            + " \"http://127.0.0.1:8265\"");
      }
    });
    rayVersion(spec.rayVersion(), p);
    auth(spec, p);
    nodeCache(spec.nodeCache(), p);
    pods(spec.head().pods(), "head", p);
    workerGroups(spec.workerGroups(), p);
    spec.overrideNode().ifPresent(patch -> override(patch, p));
    return p.list();
  }

  private static void images(KubeRayCluster spec, Problems p) {
    spec.image().ifPresent(i -> image(i, "image", p));
    if (spec.headImage().isEmpty()) {
      p.add("image", "missing; set image (or headImage and workerImage) to a Ray image that holds a JVM and"
          + " Geneva's runtime");
    } else if (!spec.headImage().equals(spec.image())) {
      image(spec.headImage().orElseThrow(), "headImage", p);
    }
    if (spec.workerImage().isEmpty() && spec.headImage().isPresent() && !spec.workerGroups().isEmpty()) {
      p.add("workerImage", "missing; set workerImage, or image for both head and workers");
    } else if (spec.workerImage().isPresent() && !spec.workerImage().equals(spec.image())) {
      image(spec.workerImage().orElseThrow(), "workerImage", p);
    }
  }

  private static void image(String image, String path, Problems p) {
    if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
      p.add(path, Names.quote(image) + " is not an image reference; use one like"
          + " \"registry.example.com/geneva-ray:2.39.0\"");
    }
  }

  private static void idleTimeout(Duration d, String path, Problems p) {
    if (d.isNegative() || d.isZero()) {
      p.add(path, "must be positive, not " + DurationText.format(d));
    } else if (d.getNano() != 0) {
      p.add(path, DurationText.format(d) + " is not a whole number of seconds; the autoscaler counts seconds");
    } else if (d.getSeconds() > Integer.MAX_VALUE) {
      p.add(path, DurationText.format(d) + " is too long; the autoscaler takes at most " + Integer.MAX_VALUE
          + " seconds");
    }
  }

  private static void readyTimeout(Duration d, Problems p) {
    if (d.isNegative() || d.isZero()) {
      p.add("readyTimeout", "must be positive, not " + DurationText.format(d));
    }
  }

  private static void rayVersion(String version, Problems p) {
    Matcher m = RAY_VERSION.matcher(version);
    if (!m.matches()) {
      p.add("rayVersion", Names.quote(version) + " is not a Ray version; use one like \""
          + KubeRayCluster.DEFAULT_RAY_VERSION + "\"");
    } else if (Integer.parseInt(m.group(1)) < 2
        || (Integer.parseInt(m.group(1)) == 2 && Integer.parseInt(m.group(2)) < 10)) {
      p.add("rayVersion", Names.quote(version) + " is older than 2.10.0, the first Ray whose autoscaler v2 (which"
          + " Geneva uses) runs on KubeRay; use 2.10.0 or newer");
    }
  }

  /** KubeRay's rules for authOptions (its validation.go), and a token source that can be read. */
  private static void auth(KubeRayCluster spec, Problems p) {
    spec.authOptions().ifPresent(a -> {
      a.secretName().ifPresent(s -> Names.subdomain(s, "authOptions.secretName", "Secret name", p));
      if (a.requiresToken()) {
        String need = a.enableK8sTokenAuth() ? "2.55.0" : "2.52.0";
        if (!atLeast(spec.rayVersion(), a.enableK8sTokenAuth() ? 55 : 52)) {
          p.add("authOptions", (a.enableK8sTokenAuth() ? "enableK8sTokenAuth" : "mode token") + " needs Ray " + need
              + " or newer, but rayVersion is " + Names.quote(spec.rayVersion()) + "; use an image with Ray " + need
              + " or newer and set rayVersion to its version");
        }
      } else if (a.enableK8sTokenAuth()) {
        p.add("authOptions.enableK8sTokenAuth", "needs mode token; set mode: token, or remove enableK8sTokenAuth");
      } else if (a.secretName().isPresent()) {
        p.add("authOptions.secretName", "is not used with mode disabled; set mode: token, or remove secretName");
      }
      if (a.enableK8sTokenAuth() && a.secretName().isPresent()) {
        p.add("authOptions.secretName", "is not used with enableK8sTokenAuth (Ray checks Kubernetes tokens, not a"
            + " shared one); remove secretName, or enableK8sTokenAuth");
      }
    });
    spec.rayToken().ifPresent(t -> {
      t.secretName().ifPresent(s -> {
        Names.subdomain(s, "rayToken.secret", "Secret name", p);
        if (!SECRET_KEY.matcher(t.secretKey()).matches()) {
          p.add("rayToken.key", Names.quote(t.secretKey()) + " is not a Secret key; use letters, digits, '-', '_'"
              + " and '.', like \"" + RayToken.DEFAULT_SECRET_KEY + "\"");
        }
        if (spec.authOptions().filter(AuthOptions::enableK8sTokenAuth).isPresent()) {
          p.add("rayToken.secret", "with enableK8sTokenAuth Ray takes Kubernetes tokens, not a Secret's; use"
              + " rayToken: {env: " + RayToken.DEFAULT_ENV + "} holding one (kubectl create token SERVICE_ACCOUNT)");
        }
      });
      t.environmentVariable().ifPresent(v -> {
        if (!ENV_VARIABLE.matcher(v).matches()) {
          p.add("rayToken.env", Names.quote(v) + " is not an environment variable name; use letters, digits and"
              + " '_', like " + RayToken.DEFAULT_ENV);
        }
      });
    });
  }

  /** Whether the Ray version is 2.{minor} or newer (a version that does not parse is reported elsewhere). */
  private static boolean atLeast(String version, int minor) {
    Matcher m = RAY_VERSION.matcher(version);
    if (!m.matches()) {
      return true;
    }
    int major = Integer.parseInt(m.group(1));
    return major > 2 || (major == 2 && Integer.parseInt(m.group(2)) >= minor);
  }

  private static void nodeCache(NodeCacheVolume cache, Problems p) {
    cache.nodeDirectory().ifPresent(dir -> {
      String path = "nodeCache.hostPath";
      if (!dir.startsWith("/") || dir.length() < 2) {
        p.add(path, Names.quote(dir) + " is not an absolute directory other than /; use one like \""
            + NodeCacheVolume.DEFAULT_NODE_DIRECTORY + "\"");
      } else if (dir.contains("//") || dir.endsWith("/") || (dir + "/").contains("/./")
          || (dir + "/").contains("/../")) {
        p.add(path, Names.quote(dir) + " is not a normalized path; remove empty, '.' and '..' parts and any"
            + " trailing '/'");
      }
    });
    cache.sizeLimit().ifPresent(limit -> Quantities.bytes(limit, "nodeCache.emptyDir.sizeLimit", p));
    if (cache.uid() < 0) {
      p.add("nodeCache.uid", cache.uid() + " is negative; use the user id Ray runs as in the image (" + NodeCacheVolume.DEFAULT_UID
          + " in Ray's images)");
    }
    if (cache.gid() < 0) {
      p.add("nodeCache.gid", cache.gid() + " is negative; use the group id Ray runs as in the image (" + NodeCacheVolume.DEFAULT_GID
          + " in Ray's images)");
    }
  }

  private static void workerGroups(List<WorkerGroup> groups, Problems p) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      WorkerGroup g = groups.get(i);
      String path = Problems.index("workerGroups", i);
      if (g.name().isEmpty()) {
        p.add(Problems.field(path, "name"), "missing; name every worker group, such as \"cpu\" or \"gpu\"");
      } else {
        Names.label(g.name(), Problems.field(path, "name"), "worker group name", p);
        Integer earlier = seen.putIfAbsent(g.name(), i);
        if (earlier != null) {
          p.add(Problems.field(path, "name"), Names.quote(g.name()) + " is also the name of workerGroups["
              + earlier + "]; give every worker group its own name");
        }
      }
      replicas(g, path, p);
      g.idleTimeout().ifPresent(d -> idleTimeout(d, Problems.field(path, "idleTimeout"), p));
      pods(g.pods(), path, p);
      gpuIntent(g, path, p);
    }
  }

  private static void replicas(WorkerGroup g, String path, Problems p) {
    boolean negative = false;
    for (Map.Entry<String, Integer> e : List.of(Map.entry("replicas", g.replicas()),
        Map.entry("minReplicas", g.minReplicas()), Map.entry("maxReplicas", g.maxReplicas()))) {
      if (e.getValue() < 0) {
        p.add(Problems.field(path, e.getKey()), e.getValue() + " is negative");
        negative = true;
      }
    }
    if (negative) {
      return;
    }
    if (g.minReplicas() > g.maxReplicas()) {
      p.add(Problems.field(path, "minReplicas"), g.minReplicas() + " is more than maxReplicas ("
          + g.maxReplicas() + "); lower minReplicas or raise maxReplicas");
    } else if (g.replicas() < g.minReplicas() || g.replicas() > g.maxReplicas()) {
      p.add(Problems.field(path, "replicas"), g.replicas() + " is outside minReplicas..maxReplicas ("
          + g.minReplicas() + ".." + g.maxReplicas() + "); the group starts with replicas pods, so keep it in"
          + " that range");
    }
  }

  /** See the GPU rule in {@link WorkerGroup}'s documentation. */
  private static void gpuIntent(WorkerGroup g, String path, Problems p) {
    Map<String, String> selector = g.nodeSelector();
    if (g.gpus() == 0) {
      if (Names.saysGpu(g.name())) {
        p.add(Problems.field(path, "gpus"), "the group " + Names.quote(g.name()) + " is named for GPUs but asks"
            + " for none; set gpus to 1 or more, or rename the group");
      } else if (g.hasOwnNodeSelector() && selector.containsKey(WorkerGroup.GPU_NODE_SELECTOR_KEY)) {
        p.add(Problems.field(path, "gpus"), "the group selects GPU nodes (" + WorkerGroup.GPU_NODE_SELECTOR_KEY
            + ") but asks for no GPUs; set gpus to 1 or more, or select CPU nodes");
      }
    } else if (g.gpus() > 0 && g.hasOwnNodeSelector() && selector.containsKey(WorkerGroup.CPU_NODE_SELECTOR_KEY)) {
      p.add(Problems.field(path, "nodeSelector"), "the group asks for " + g.gpus() + " GPUs but selects CPU nodes ("
          + WorkerGroup.CPU_NODE_SELECTOR_KEY + "); select GPU nodes, or set gpus to 0");
    }
  }

  private static void pods(PodShape pods, String path, Problems p) {
    Quantities.cpus(pods.cpus(), Problems.field(path, "cpus"), p);
    Quantities.bytes(pods.memory(), Problems.field(path, "memory"), p);
    if (pods.gpus() < 0) {
      p.add(Problems.field(path, "gpus"), pods.gpus() + " is negative");
    }
    pods.nodeSelector().ifPresent(s -> labels(s, Problems.field(path, "nodeSelector"), p));
    labels(pods.labels(), Problems.field(path, "labels"), p);
    for (int i = 0; i < pods.tolerations().size(); i++) {
      toleration(pods.tolerations().get(i), Problems.index(Problems.field(path, "tolerations"), i), p);
    }
    for (String name : pods.env().keySet()) {
      String envPath = Problems.key(Problems.field(path, "env"), name);
      Names.envName(name, envPath, p);
      if (RESERVED_ENV.contains(name)) {
        p.add(envPath, "is set by Geneva itself; remove it");
      }
    }
  }

  private static void labels(Map<String, String> labels, String path, Problems p) {
    labels.forEach((k, v) -> {
      Names.labelKey(k, Problems.key(path, k), p);
      Names.labelValue(v, Problems.key(path, k), p);
    });
  }

  private static void toleration(Toleration t, String path, Problems p) {
    if (t.key().isEmpty()) {
      if (t.operator() == Toleration.Operator.EQUAL) {
        p.add(Problems.field(path, "key"), "missing; an Equal toleration needs a key (only Exists may leave it"
            + " empty, to tolerate every taint)");
      }
    } else {
      Names.labelKey(t.key(), Problems.field(path, "key"), p);
    }
    t.value().ifPresent(v -> Names.labelValue(v, Problems.field(path, "value"), p));
    t.tolerationSeconds().ifPresent(d -> {
      String secondsPath = Problems.field(path, "tolerationSeconds");
      if (t.effect().orElse(null) != Toleration.Effect.NO_EXECUTE) {
        p.add(secondsPath, "only applies to the NoExecute effect; set effect NoExecute or remove it");
      } else if (d.isNegative() || d.getNano() != 0 || d.getSeconds() > Integer.MAX_VALUE) {
        p.add(secondsPath, DurationText.format(d) + " is not a whole number of seconds from 0 to "
            + Integer.MAX_VALUE);
      }
    });
  }

  private static void override(JsonNode patch, Problems p) {
    for (String field : List.of("apiVersion", "kind", "status")) {
      if (patch.has(field)) {
        p.add("override." + field, "cannot be changed by an override; Geneva writes it");
      }
    }
    JsonNode spec = patch.get("spec");
    if (spec != null && !spec.isObject()) {
      p.add("override.spec", "must be an object that patches the generated spec, not " + kind(spec));
    }
    JsonNode metadata = patch.get("metadata");
    if (metadata == null) {
      return;
    }
    if (!metadata.isObject()) {
      p.add("override.metadata", "must be an object that patches the generated metadata, not " + kind(metadata));
      return;
    }
    if (metadata.has("name")) {
      p.add("override.metadata.name", "cannot be changed by an override; set the spec's name instead");
    }
    if (metadata.has("namespace")) {
      p.add("override.metadata.namespace", "cannot be changed by an override; set the spec's namespace instead");
    }
    Optional.ofNullable(metadata.get("annotations")).ifPresent(annotations -> {
      if (!annotations.isObject()) {
        p.add("override.metadata.annotations", "must be an object that patches the annotations, not "
            + kind(annotations));
      } else if (annotations.has(RayClusterRenderer.SPEC_DIGEST_ANNOTATION)) {
        p.add(Problems.key("override.metadata.annotations", RayClusterRenderer.SPEC_DIGEST_ANNOTATION),
            "cannot be changed by an override; Geneva writes it to find the cluster again");
      }
    });
  }

  private static String kind(JsonNode node) {
    return node.isNull() ? "null" : node.isArray() ? "a list" : node.isTextual() ? "a string" : node.getNodeType()
        .toString().toLowerCase(java.util.Locale.ROOT);
  }
}
