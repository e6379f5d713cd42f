package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads a KubeRay pod's status: whether it is ready, how far Geneva's bootstrap got, and whether it
 * cannot start at all, with the pod's own reason and what to do about it. Pods are read as JSON, so
 * that a field a newer API server adds, or one a stand-in leaves out, changes nothing.
 *
 * <p>A pod cannot start when a container (init containers included) waits for a reason that does not
 * go away by waiting ({@code ImagePullBackOff}, {@code ErrImagePull}, {@code InvalidImageName}, {@code
 * CrashLoopBackOff}, {@code CreateContainerConfigError}), when a container was {@code OOMKilled}, when
 * the pod failed, or when it has been {@code Unschedulable} for {@link #UNSCHEDULABLE_GRACE}: a node
 * autoscaler (cluster-autoscaler, Karpenter) needs a minute or two to add a node, and until then the
 * scheduler calls the pod unschedulable too.
 */
final class PodDiagnosis {
  /** How long a pod may be unschedulable before that counts as a failure. */
  static final Duration UNSCHEDULABLE_GRACE = Duration.ofMinutes(2);

  static final String NODE_TYPE_LABEL = "ray.io/node-type";
  static final String GROUP_LABEL = "ray.io/group";

  private static final Set<String> FATAL_WAITING = Set.of(
      "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError");

  private PodDiagnosis() {}

  /** How far the {@value RayClusterRenderer#BOOTSTRAP_CONTAINER} init container got. */
  enum Bootstrap {
    /** The pod has no such init container (not made from Geneva's rendering). */
    ABSENT,
    WAITING,
    RUNNING,
    /** Terminated with exit code 0. */
    DONE,
    /** Terminated with another exit code. */
    FAILED
  }

  static String name(JsonNode pod) {
    return pod.path("metadata").path("name").asText("?");
  }

  /** {@code head}, or {@code worker (group cpu)}. */
  static String role(JsonNode pod) {
    JsonNode labels = pod.path("metadata").path("labels");
    if ("head".equals(labels.path(NODE_TYPE_LABEL).asText())) {
      return "head";
    }
    String group = labels.path(GROUP_LABEL).asText("");
    return group.isEmpty() ? "worker" : "worker (group " + group + ")";
  }

  static boolean isHead(JsonNode pod) {
    return role(pod).equals("head");
  }

  /** Whether the pod is being deleted, so it no longer counts. */
  static boolean leaving(JsonNode pod) {
    return pod.path("metadata").hasNonNull("deletionTimestamp");
  }

  /** Whether the pod belongs to the RayCluster of this uid (an old one's pods may linger after a replace). */
  static boolean ownedBy(JsonNode pod, String uid) {
    if (uid.isEmpty()) {
      return true;
    }
    for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
      if (RayClusterRenderer.KIND.equals(owner.path("kind").asText())) {
        return uid.equals(owner.path("uid").asText());
      }
    }
    return true;
  }

  static boolean ready(JsonNode pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.path("status").asText())).orElse(false);
  }

  static Bootstrap bootstrap(JsonNode pod) {
    Optional<JsonNode> status = initStatus(pod);
    if (status.isEmpty()) {
      for (JsonNode c : pod.path("spec").path("initContainers")) {
        if (RayClusterRenderer.BOOTSTRAP_CONTAINER.equals(c.path("name").asText())) {
          return Bootstrap.WAITING;
        }
      }
      return Bootstrap.ABSENT;
    }
    JsonNode state = status.get().path("state");
    if (state.has("terminated")) {
      return state.path("terminated").path("exitCode").asInt(-1) == 0 ? Bootstrap.DONE : Bootstrap.FAILED;
    }
    return state.has("running") ? Bootstrap.RUNNING : Bootstrap.WAITING;
  }

  /** How long the bootstrap ran, if it finished and its times are known. */
  static Optional<Duration> bootstrapTime(JsonNode pod) {
    return initStatus(pod).map(c -> c.path("state").path("terminated")).flatMap(t -> {
      Optional<Instant> started = instant(t.path("startedAt"));
      Optional<Instant> finished = instant(t.path("finishedAt"));
      return started.isPresent() && finished.isPresent()
          ? Optional.of(Duration.between(started.get(), finished.get())) : Optional.empty();
    });
  }

  /**
   * Why the pod cannot start, naming the pod, the container, the reason and the fix; empty if
   * nothing says it cannot (yet).
   *
   * @param unschedulableSince when the pod was first seen unschedulable, for pods whose condition
   *     has no transition time
   */
  static Optional<String> problem(JsonNode pod, KubeRayCluster spec, Instant now,
      Function<String, Instant> unschedulableSince) {
    JsonNode status = pod.path("status");
    String subject = "pod " + name(pod) + " (" + role(pod) + ")";
    if ("Failed".equals(status.path("phase").asText())) {
      return Optional.of(subject + " failed: " + text(status.path("reason"), status.path("message"))
          + "; see kubectl describe pod " + name(pod) + " -n " + spec.namespace());
    }
    for (boolean init : new boolean[] {true, false}) {
      for (JsonNode c : status.path(init ? "initContainerStatuses" : "containerStatuses")) {
        Optional<String> p = containerProblem(pod, c, init, spec);
        if (p.isPresent()) {
          return Optional.of(subject + ", " + (init ? "init container " : "container ") + c.path("name").asText()
              + ": " + p.get());
        }
      }
    }
    Optional<JsonNode> unschedulable = condition(pod, "PodScheduled")
        .filter(c -> "False".equals(c.path("status").asText()) && "Unschedulable".equals(c.path("reason").asText()));
    if (unschedulable.isPresent()) {
      Instant from = instant(unschedulable.get().path("lastTransitionTime"))
          .orElseGet(() -> unschedulableSince.apply(name(pod)));
      Duration waited = Duration.between(from, now);
      if (waited.compareTo(UNSCHEDULABLE_GRACE) >= 0) {
        return Optional.of(subject + " has been unschedulable for " + DurationText.format(waited.withNanos(0)) + ": "
            + text(unschedulable.get().path("reason"), unschedulable.get().path("message")) + "; no node can run it:"
            + " check that nodes match its node selector " + nodeSelector(pod) + " and tolerations and have the CPU,"
            + " memory and GPUs it asks for, or that a node autoscaler can add such nodes");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> containerProblem(JsonNode pod, JsonNode c, boolean init, KubeRayCluster spec) {
    String container = c.path("name").asText();
    JsonNode waiting = c.path("state").path("waiting");
    JsonNode terminated = c.path("state").path("terminated");
    JsonNode last = c.path("lastState").path("terminated");
    if (oom(terminated) || oom(last)) {
      return Optional.of("OOMKilled: the container ran out of memory" + limit(pod, container, init)
          + "; raise " + memoryField(pod, spec) + " in the spec");
    }
    String reason = waiting.path("reason").asText("");
    if (FATAL_WAITING.contains(reason)) {
      String what = text(waiting.path("reason"), waiting.path("message"));
      String image = c.path("image").asText("");
      return Optional.of(switch (reason) {
        case "ImagePullBackOff", "ErrImagePull", "InvalidImageName" -> what + "; check that the image "
            + (image.isEmpty() ? "" : image + " ") + "exists and that the nodes may pull it (registry access, or"
            + " imagePullSecrets through the spec's override)";
        case "CrashLoopBackOff" -> what + lastExit(last) + "; see kubectl logs " + name(pod) + " -c " + container
            + " -n " + spec.namespace() + " --previous";
        default -> what + "; check what the container refers to: the credentialsSecret, and the env of the spec";
      });
    }
    if (init && RayClusterRenderer.BOOTSTRAP_CONTAINER.equals(container) && terminated.has("exitCode")
        && terminated.path("exitCode").asInt() != 0
        && "Never".equals(pod.path("spec").path("restartPolicy").asText("Always"))) {
      return Optional.of("Geneva's bootstrap failed" + lastExit(terminated) + "; see kubectl logs " + name(pod)
          + " -c " + container + " -n " + spec.namespace());
    }
    return Optional.empty();
  }

  /** One line of the pod's state, for status output and timeout messages. */
  static String describe(JsonNode pod) {
    List<String> parts = new ArrayList<>();
    JsonNode status = pod.path("status");
    parts.add(status.path("phase").asText("no status yet"));
    parts.add(ready(pod) ? "ready" : "not ready");
    Bootstrap b = bootstrap(pod);
    if (b != Bootstrap.ABSENT) {
      parts.add("bootstrap " + b.name().toLowerCase(Locale.ROOT)
          + bootstrapTime(pod).map(d -> " in " + DurationText.format(d)).orElse(""));
    }
    for (String list : new String[] {"initContainerStatuses", "containerStatuses"}) {
      for (JsonNode c : status.path(list)) {
        String reason = c.path("state").path("waiting").path("reason").asText("");
        if (!reason.isEmpty()) {
          parts.add(c.path("name").asText() + " waiting: " + reason);
        }
      }
    }
    condition(pod, "PodScheduled").filter(c -> "False".equals(c.path("status").asText()))
        .ifPresent(c -> parts.add("not scheduled: " + text(c.path("reason"), c.path("message"))));
    return String.join(", ", parts);
  }

  private static Optional<JsonNode> initStatus(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("initContainerStatuses")) {
      if (RayClusterRenderer.BOOTSTRAP_CONTAINER.equals(c.path("name").asText())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> condition(JsonNode pod, String type) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> instant(JsonNode text) {
    if (!text.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static boolean oom(JsonNode terminated) {
    return "OOMKilled".equals(terminated.path("reason").asText());
  }

  private static String lastExit(JsonNode terminated) {
    if (terminated.isMissingNode() || !terminated.isObject()) {
      return "";
    }
    String reason = terminated.path("reason").asText("");
    String message = oneLine(terminated.path("message").asText(""));
    return "; last exit code " + terminated.path("exitCode").asText("?") + (reason.isEmpty() ? "" : " (" + reason + ")")
        + (message.isEmpty() ? "" : ": " + message);
  }

  private static String text(JsonNode reason, JsonNode message) {
    String r = reason.asText("");
    String m = oneLine(message.asText(""));
    return m.isEmpty() ? r : r.isEmpty() ? m : r + " (" + m + ")";
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String nodeSelector(JsonNode pod) {
    Map<String, String> selector = new TreeMap<>();
    pod.path("spec").path("nodeSelector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    return selector.isEmpty() ? "(none)" : selector.toString();
  }

  /** The container's memory limit, as " (limit 8Gi)", if the pod spec says. */
  private static String limit(JsonNode pod, String container, boolean init) {
    for (JsonNode c : pod.path("spec").path(init ? "initContainers" : "containers")) {
      if (container.equals(c.path("name").asText())) {
        String memory = c.path("resources").path("limits").path("memory").asText("");
        return memory.isEmpty() ? "" : " (limit " + memory + ")";
      }
    }
    return "";
  }

  /** The spec field that sets this pod's memory: {@code head.memory} or {@code workerGroups[i].memory}. */
  private static String memoryField(JsonNode pod, KubeRayCluster spec) {
    if (isHead(pod)) {
      return "head.memory";
    }
    String group = pod.path("metadata").path("labels").path(GROUP_LABEL).asText("");
    for (int i = 0; i < spec.workerGroups().size(); i++) {
      if (spec.workerGroups().get(i).name().equals(group)) {
        return "workerGroups[" + i + "].memory (group " + group + ")";
      }
    }
    return "the memory of its worker group";
  }
}
