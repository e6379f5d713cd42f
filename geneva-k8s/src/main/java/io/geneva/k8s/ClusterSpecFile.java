package io.geneva.k8s;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ConfigurationException;
import io.geneva.ExitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a cluster spec from YAML whose field names are the builder's, for {@code geneva cluster
 * render|up|status|down --spec FILE}:
 *
 * <pre>{@code
 * type: kuberay
 * name: dev
 * namespace: ml
 * image: registry.example.com/geneva-ray:2.39.0
 * idleTimeout: 10m                 # 90s, 2h, 1h30m, or ISO-8601 (PT10M)
 * exitPolicy: retainOnFailure      # delete (default), retain, retainOnFailure
 * replacePolicy: patch            # when a different spec runs under this name: fail (default), patch, replace
 * readyTimeout: 15m                # how long to wait for ready pods (default 10m)
 * kubeContext: prod-eks            # default: the kubeconfig's current context
 * dashboard: http://127.0.0.1:8265 # the head's Jobs API; default: its service in-cluster, else a port-forward
 * credentialsSecret: geneva-s3     # default: the service account's identity
 * rayVersion: 2.52.0               # token authentication needs 2.52.0 or newer
 * authOptions:                     # the RayCluster's authOptions (KubeRay 1.5.1+), as the CRD names them
 *   mode: token                    # or disabled
 *   secretName: dev-ray-token      # default: a Secret KubeRay generates, named after the cluster
 * rayToken: {env: GENEVA_RAY_TOKEN} # where the session finds the token; default: authOptions' Secret,
 *                                  # or {secret: NAME, key: auth_token}
 * nodeCache: emptyDir              # or hostPath, or {hostPath: /mnt/geneva, uid: 1000, gid: 100},
 *                                  # or {emptyDir: {sizeLimit: 20Gi}}
 * head:
 *   cpus: 4
 *   memory: 8Gi
 * workerGroups:
 *   - name: cpu
 *     replicas: 2
 *     minReplicas: 1
 *     maxReplicas: 20
 *     idleTimeout: 10m
 *   - name: gpu
 *     gpus: 1
 *     maxReplicas: 4
 *     tolerations:
 *       - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
 * }</pre>
 *
 * <p>Top-level fields: {@code type} (required, {@code kuberay}), {@code name} (required), {@code
 * namespace}, {@code image}, {@code headImage}, {@code workerImage}, {@code serviceAccount}, {@code
 * idleTimeout}, {@code exitPolicy}, {@code dependenciesInImage}, {@code credentialsSecret}, {@code
 * nodeCache}, {@code rayVersion}, {@code head}, {@code workerGroups}, {@code override} (a merge
 * patch, see {@link KubeRayCluster#override(java.util.Map)}), {@code replacePolicy}, {@code
 * readyTimeout}, {@code kubeContext}, {@code dashboard}, {@code authOptions} ({@code mode}, {@code secretName},
 * {@code enableK8sTokenAuth}; see {@link AuthOptions}) and {@code rayToken} ({@code secret} with an optional
 * {@code key}, or {@code env}; see {@link RayToken}). {@code head}: {@code cpus}, {@code
 * memory}, {@code gpus}, {@code nodeSelector}, {@code labels}, {@code tolerations}, {@code env}.
 * Each of {@code workerGroups}: {@code name}, the same, and {@code replicas}, {@code minReplicas},
 * {@code maxReplicas}, {@code idleTimeout}. Tolerations are Kubernetes': {@code key}, {@code
 * operator}, {@code value}, {@code effect}, {@code tolerationSeconds}.
 *
 * <p>An unknown field is refused, naming where it is and the known field it most likely meant; a
 * field of the wrong type is refused, naming the type expected; then the spec is {@link
 * KubeRayCluster#validate() validated}. Every problem of a file is reported in one {@link
 * ConfigurationException} that names the file. Stateless and thread-safe.
 */
public final class ClusterSpecFile {
  private static final List<String> TOP = List.of("type", "name", "namespace", "image", "headImage", "workerImage",
      "serviceAccount", "idleTimeout", "exitPolicy", "dependenciesInImage", "credentialsSecret", "nodeCache",
      "rayVersion", "head", "workerGroups", "override", "replacePolicy", "readyTimeout", "kubeContext", "dashboard",
      "authOptions", "rayToken");
  private static final List<String> AUTH_OPTIONS = List.of("mode", "secretName", "enableK8sTokenAuth");
  private static final List<String> RAY_TOKEN = List.of("secret", "key", "env");
  private static final List<String> HEAD =
      List.of("cpus", "memory", "gpus", "nodeSelector", "labels", "tolerations", "env");
  private static final List<String> WORKER = List.of("name", "cpus", "memory", "gpus", "replicas", "minReplicas",
      "maxReplicas", "idleTimeout", "nodeSelector", "labels", "tolerations", "env");
  private static final List<String> TOLERATION = List.of("key", "operator", "value", "effect", "tolerationSeconds");
  private static final List<String> NODE_CACHE = List.of("hostPath", "emptyDir", "uid", "gid");
  private static final List<String> EMPTY_DIR = List.of("sizeLimit");

  private ClusterSpecFile() {}

  /**
   * Reads and validates the spec in this YAML file.
   *
   * @throws ConfigurationException if the file cannot be read, is not YAML, or the spec in it is
   *     wrong; the message names the file and every problem
   */
  public static KubeRayCluster read(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("cluster spec " + file + " does not exist; pass the path of a YAML spec"
          + " file", e);
    } catch (IOException e) {
      throw new ConfigurationException("cluster spec " + file + " cannot be read: " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads and validates the spec in this YAML text.
   *
   * @param source what the text is, for messages: a file name, or {@code <stdin>}
   * @throws ConfigurationException if the text is not YAML or the spec in it is wrong
   */
  public static KubeRayCluster parse(String yaml, String source) {
    Objects.requireNonNull(yaml, "yaml");
    String subject = "cluster spec " + source;
    ObjectNode root = document(yaml, subject);
    Problems problems = new Problems();
    Optional<KubeRayCluster> spec = spec(YamlObject.of(root, "", problems, TOP), problems);
    problems.throwIfAny(subject);
    List<String> invalid = spec.orElseThrow().problems();
    if (!invalid.isEmpty()) {
      throw Problems.exception(subject, invalid);
    }
    return spec.orElseThrow();
  }

  private static ObjectNode document(String yaml, String subject) {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = Json.YAML_READER.createParser(yaml)) {
      while (parser.nextToken() != null) {
        documents.add(Json.YAML_READER.readTree(parser));
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigurationException(subject + " is not valid YAML: " + e.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
    } catch (IOException e) {
      throw new ConfigurationException(subject + " cannot be read: " + e, e);
    }
    documents = documents.stream().filter(d -> d != null && !d.isMissingNode() && !d.isNull()).toList();
    if (documents.isEmpty()) {
      throw new ConfigurationException(subject + " is empty; it needs at least \"type: kuberay\", a name and an"
          + " image");
    }
    if (documents.size() > 1) {
      throw new ConfigurationException(subject + " holds " + documents.size() + " YAML documents; put one cluster"
          + " spec in each file");
    }
    if (!documents.get(0).isObject()) {
      throw new ConfigurationException(subject + " must be a mapping of fields (type, name, image, ...), not "
          + YamlObject.describe(documents.get(0)));
    }
    return (ObjectNode) documents.get(0);
  }

  private static Optional<KubeRayCluster> spec(YamlObject top, Problems problems) {
    Optional<String> type = top.text("type");
    if (type.isEmpty() && top.raw("type").isEmpty()) {
      top.problem("type", "missing; set type: " + KubeRay.TYPE);
    } else if (type.isPresent() && !type.get().equals(KubeRay.TYPE)) {
      top.problem("type", Names.quote(type.get()) + " is not a cluster type these files describe; set type: "
          + KubeRay.TYPE);
    }
    Optional<String> name = top.text("name");
    if (name.isEmpty() && top.raw("name").isEmpty()) {
      top.problem("name", "missing; name the cluster, such as \"dev\"");
    }
    KubeRayCluster spec = KubeRay.cluster(name.orElse("unnamed"));
    spec = apply(spec, top.text("namespace"), KubeRayCluster::namespace);
    spec = apply(spec, top.text("image"), KubeRayCluster::image);
    spec = apply(spec, top.text("headImage"), KubeRayCluster::headImage);
    spec = apply(spec, top.text("workerImage"), KubeRayCluster::workerImage);
    spec = apply(spec, top.text("serviceAccount"), KubeRayCluster::serviceAccount);
    spec = apply(spec, top.duration("idleTimeout"), KubeRayCluster::idleTimeout);
    spec = apply(spec, exitPolicy(top), KubeRayCluster::exitPolicy);
    spec = apply(spec, top.bool("dependenciesInImage"), KubeRayCluster::dependenciesInImage);
    spec = apply(spec, top.text("credentialsSecret"), KubeRayCluster::credentialsSecret);
    spec = apply(spec, nodeCache(top), KubeRayCluster::nodeCache);
    spec = apply(spec, top.text("rayVersion"), KubeRayCluster::rayVersion);
    spec = apply(spec, replacePolicy(top), KubeRayCluster::replacePolicy);
    spec = apply(spec, top.duration("readyTimeout"), KubeRayCluster::readyTimeout);
    spec = apply(spec, top.text("kubeContext"), KubeRayCluster::kubeContext);
    spec = apply(spec, top.text("dashboard").flatMap(text -> {
      try {
        return Optional.of(new java.net.URI(text));
      } catch (java.net.URISyntaxException e) {
        top.problem("dashboard", Names.quote(text) + " is not a URI (" + e.getReason() + "); use the head's dashboard,"
            + " like \"http://127.0.0.1:8265\"");
        return Optional.empty();
      }
    }), KubeRayCluster::dashboard);
    spec = apply(spec, top.object("authOptions", AUTH_OPTIONS).flatMap(ClusterSpecFile::authOptions),
        KubeRayCluster::authOptions);
    spec = apply(spec, top.object("rayToken", RAY_TOKEN).flatMap(o -> rayToken(o, top)), KubeRayCluster::rayToken);
    spec = apply(spec, top.object("head", HEAD).map(ClusterSpecFile::head), KubeRayCluster::head);
    spec = apply(spec, top.objects("workerGroups", WORKER).map(groups -> groups.stream()
        .map(ClusterSpecFile::workerGroup).toList()), KubeRayCluster::workerGroups);
    Optional<JsonNode> override = top.raw("override");
    if (override.isPresent()) {
      if (override.get().isObject()) {
        spec = spec.override(Json.canonical(override.get()));
      } else {
        top.problem("override", "expected a mapping (a JSON merge patch of the RayCluster), got "
            + YamlObject.describe(override.get()));
      }
    }
    return problems.isEmpty() ? Optional.of(spec) : Optional.empty();
  }

  private static <T> KubeRayCluster apply(KubeRayCluster spec, Optional<T> value,
      java.util.function.BiFunction<KubeRayCluster, T, KubeRayCluster> with) {
    return value.map(v -> with.apply(spec, v)).orElse(spec);
  }

  private static Optional<AuthOptions> authOptions(YamlObject o) {
    AuthOptions.Builder b = AuthOptions.builder();
    if (o.raw("mode").isEmpty()) {
      o.problem("mode", "missing; set mode: token (or disabled)");
      return Optional.empty();
    }
    o.text("mode").flatMap(text -> choice(o, "mode", text, AuthOptions.Mode.values(), AuthOptions.Mode::kubernetesName))
        .ifPresent(b::mode);
    o.text("secretName").ifPresent(b::secretName);
    o.bool("enableK8sTokenAuth").ifPresent(b::enableK8sTokenAuth);
    return Optional.of(b.build());
  }

  /** {@code {secret: NAME}}, {@code {secret: NAME, key: KEY}} or {@code {env: VARIABLE}}. */
  private static Optional<RayToken> rayToken(YamlObject o, YamlObject top) {
    Optional<String> secret = o.text("secret");
    Optional<String> key = o.text("key");
    Optional<String> env = o.text("env");
    boolean hasSecret = o.raw("secret").isPresent();
    if (hasSecret == o.raw("env").isPresent()) {
      top.problem("rayToken", "set exactly one of secret (a Secret in the cluster's namespace, with key) and env (an"
          + " environment variable of the session, such as " + RayToken.DEFAULT_ENV + ")");
      return Optional.empty();
    }
    if (!hasSecret && o.raw("key").isPresent()) {
      o.problem("key", "applies to a secret only; remove it, or name the Secret with secret");
      return Optional.empty();
    }
    return secret.map(s -> RayToken.fromSecret(s, key.orElse(RayToken.DEFAULT_SECRET_KEY))).or(() ->
        env.map(RayToken::fromEnv));
  }

  private static HeadGroup head(YamlObject o) {
    HeadGroup.Builder b = HeadGroup.builder();
    o.quantity("cpus").ifPresent(b::cpus);
    o.quantity("memory").ifPresent(b::memory);
    o.integer("gpus").ifPresent(b::gpus);
    o.stringMap("nodeSelector").ifPresent(b::nodeSelector);
    o.stringMap("labels").ifPresent(b::labels);
    o.objects("tolerations", TOLERATION).ifPresent(ts -> b.tolerations(tolerations(ts)));
    o.stringMap("env").ifPresent(b::env);
    return b.build();
  }

  private static WorkerGroup workerGroup(YamlObject o) {
    WorkerGroup.Builder b = WorkerGroup.builder();
    o.text("name").ifPresent(b::name);
    o.quantity("cpus").ifPresent(b::cpus);
    o.quantity("memory").ifPresent(b::memory);
    o.integer("gpus").ifPresent(b::gpus);
    o.integer("replicas").ifPresent(b::replicas);
    o.integer("minReplicas").ifPresent(b::minReplicas);
    o.integer("maxReplicas").ifPresent(b::maxReplicas);
    o.duration("idleTimeout").ifPresent(b::idleTimeout);
    o.stringMap("nodeSelector").ifPresent(b::nodeSelector);
    o.stringMap("labels").ifPresent(b::labels);
    o.objects("tolerations", TOLERATION).ifPresent(ts -> b.tolerations(tolerations(ts)));
    o.stringMap("env").ifPresent(b::env);
    return b.build();
  }

  private static List<Toleration> tolerations(List<YamlObject> list) {
    return list.stream().map(ClusterSpecFile::toleration).flatMap(Optional::stream).toList();
  }

  /** A toleration as Kubernetes spells it; the operator defaults to Equal, as in Kubernetes. */
  private static Optional<Toleration> toleration(YamlObject o) {
    String key = o.text("key").orElse("");
    Optional<String> value = o.text("value");
    Optional<Toleration.Operator> operator = o.text("operator").flatMap(text ->
        choice(o, "operator", text, Toleration.Operator.values(), Toleration.Operator::kubernetesName));
    Toleration t;
    if (operator.orElse(Toleration.Operator.EQUAL) == Toleration.Operator.EXISTS) {
      value.ifPresent(v -> o.problem("value", "must be empty with operator Exists; remove it, or use Equal"));
      t = Toleration.exists(key);
    } else {
      t = Toleration.equal(key, value.orElse(""));
    }
    Optional<Toleration.Effect> effect = o.text("effect").flatMap(text ->
        choice(o, "effect", text, Toleration.Effect.values(), Toleration.Effect::kubernetesName));
    if (effect.isPresent()) {
      t = t.effect(effect.get());
    }
    Optional<Integer> seconds = o.integer("tolerationSeconds");
    if (seconds.isPresent()) {
      t = t.tolerationSeconds(Duration.ofSeconds(seconds.get()));
    }
    return Optional.of(t);
  }

  private static <E> Optional<E> choice(YamlObject o, String field, String text, E[] values,
      java.util.function.Function<E, String> name) {
    for (E e : values) {
      if (name.apply(e).equals(text)) {
        return Optional.of(e);
      }
    }
    List<String> names = Arrays.stream(values).map(name).toList();
    o.problem(field, Names.quote(text) + " is not one of " + String.join(", ", names) + Closest.hint(text, names));
    return Optional.empty();
  }

  /** {@code delete}, {@code retain}, {@code retainOnFailure}; also as {@code RETAIN_ON_FAILURE} or with '-'. */
  private static Optional<ExitPolicy> exitPolicy(YamlObject top) {
    return top.text("exitPolicy").flatMap(text -> {
      String normalized = text.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
      for (ExitPolicy p : ExitPolicy.values()) {
        if (p.name().replace("_", "").toLowerCase(Locale.ROOT).equals(normalized)) {
          return Optional.of(p);
        }
      }
      List<String> names = List.of("delete", "retain", "retainOnFailure");
      top.problem("exitPolicy", Names.quote(text) + " is not one of " + String.join(", ", names)
          + Closest.hint(text, names));
      return Optional.empty();
    });
  }

  /** {@code fail}, {@code patch}, {@code replace}, in any case. */
  private static Optional<ReplacePolicy> replacePolicy(YamlObject top) {
    return top.text("replacePolicy").flatMap(text -> {
      for (ReplacePolicy p : ReplacePolicy.values()) {
        if (p.name().equalsIgnoreCase(text)) {
          return Optional.of(p);
        }
      }
      List<String> names = List.of("fail", "patch", "replace");
      top.problem("replacePolicy", Names.quote(text) + " is not one of " + String.join(", ", names)
          + Closest.hint(text, names));
      return Optional.empty();
    });
  }

  /** {@code hostPath}, {@code emptyDir}, {@code {hostPath: DIR}} or {@code {emptyDir: {sizeLimit: Q}}}. */
  private static Optional<NodeCacheVolume> nodeCache(YamlObject top) {
    Optional<JsonNode> raw = top.raw("nodeCache");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    JsonNode v = raw.get();
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "hostPath":
          return Optional.of(NodeCacheVolume.hostPath());
        case "emptyDir":
          return Optional.of(NodeCacheVolume.emptyDir());
        default:
          top.problem("nodeCache", Names.quote(v.textValue()) + " is not hostPath or emptyDir"
              + Closest.hint(v.textValue(), NODE_CACHE));
          return Optional.empty();
      }
    }
    Optional<YamlObject> o = top.object("nodeCache", NODE_CACHE);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    boolean hasHostPath = v.has("hostPath");
    boolean hasEmptyDir = v.has("emptyDir");
    if (hasHostPath == hasEmptyDir) {
      top.problem("nodeCache", "set exactly one of hostPath (a node directory) and emptyDir");
      return Optional.empty();
    }
    if (hasHostPath) {
      Optional<NodeCacheVolume> cache = v.get("hostPath").isNull()
          ? Optional.of(NodeCacheVolume.hostPath())
          : o.get().text("hostPath").map(NodeCacheVolume::hostPath);
      Optional<Integer> uid = o.get().integer("uid");
      Optional<Integer> gid = o.get().integer("gid");
      return cache.map(c -> c.ownedBy(uid.map(Integer::longValue).orElse(c.uid()),
          gid.map(Integer::longValue).orElse(c.gid())));
    }
    for (String owner : new String[] {"uid", "gid"}) {
      if (v.has(owner)) {
        top.problem("nodeCache." + owner, "applies to a hostPath cache only; an emptyDir is writable by any user,"
            + " so remove it");
      }
    }
    if (v.get("emptyDir").isNull()) {
      return Optional.of(NodeCacheVolume.emptyDir());
    }
    return o.get().object("emptyDir", EMPTY_DIR)
        .map(e -> e.quantity("sizeLimit").map(NodeCacheVolume::emptyDir).orElse(NodeCacheVolume.emptyDir()));
  }
}
