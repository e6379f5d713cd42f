package io.geneva.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Does, one {@link #step()} at a time, what the KubeRay operator and the kubelet do with a
 * RayCluster, so tests can drive a cluster to readiness or into a failure without threads or sleeps:
 *
 * <ul>
 *   <li>creates the head pod and {@code replicas} pods per worker group from the RayCluster's pod
 *       templates, named and labelled as KubeRay does ({@code ray.io/cluster}, {@code
 *       ray.io/node-type: head|worker}, {@code ray.io/group}) and owned by the RayCluster;
 *   <li>moves each pod along, one stage per step: scheduled with its init container waiting
 *       ({@code PodInitializing}), the bootstrap init container running, then the bootstrap
 *       terminated with exit code 0 and the pod Running and Ready;
 *   <li>writes the RayCluster's {@code status}: {@code HeadPodReady} (the head pod is ready), {@code
 *       RayClusterProvisioned} (every pod was ready once; it stays true), and {@code
 *       observedGeneration}, through the status subresource;
 *   <li>with {@code authOptions.mode: token} and no {@code secretName} (nor {@code
 *       enableK8sTokenAuth}), creates the Secret KubeRay 1.6 generates: named after the cluster, the
 *       token under {@code auth_token} ({@link #generatedToken(String)}, not random here);
 *   <li>deletes pods whose RayCluster is gone, as Kubernetes' garbage collector does.
 * </ul>
 *
 * <p>A test can {@link #fault fault} pods (their status is then what the fault writes, and they stop
 * moving) or {@link #stall()} every pod where it is.
 */
final class SimulatedOperator {
  private final NamespacedKubernetesClient client;
  private final Clock clock;
  private final Map<String, Integer> stages = new HashMap<>();
  private final List<Map.Entry<Predicate<Pod>, Consumer<PodStatus>>> faults = new ArrayList<>();
  private final Set<String> provisioned = new HashSet<>();
  private int podCounter;
  private boolean stalled;
  private int steps;
  private Map<String, Object> replicaFailure = Map.of();

  SimulatedOperator(NamespacedKubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** From now on, pods that match have the status the fault writes, and do not move on. */
  SimulatedOperator fault(Predicate<Pod> which, Consumer<PodStatus> fault) {
    faults.add(Map.entry(which, fault));
    return this;
  }

  /** Pods no longer move on. */
  void stall() {
    stalled = true;
  }

  /** Removes every fault: pods move on from where they are. */
  void clearFaults() {
    faults.clear();
  }

  /** From now on the operator reports that it cannot create pods, as KubeRay does when the API server refuses one. */
  void failToCreatePods(String reason, String message) {
    replicaFailure = Map.of("type", "ReplicaFailure", "status", "True", "reason", reason, "message", message,
        "lastTransitionTime", clock.instant().toString());
  }

  int steps() {
    return steps;
  }

  static Predicate<Pod> head() {
    return p -> "head".equals(p.getMetadata().getLabels().get("ray.io/node-type"));
  }

  static Predicate<Pod> workerOf(String group) {
    return p -> group.equals(p.getMetadata().getLabels().get("ray.io/group"));
  }

  /** Steps {@code times} times. */
  void settle(int times) {
    for (int i = 0; i < times; i++) {
      step();
    }
  }

  void step() {
    steps++;
    Set<String> live = new HashSet<>();
    for (GenericKubernetesResource rc : client.genericKubernetesResources("ray.io/v1", "RayCluster")
        .inAnyNamespace().list().getItems()) {
      live.add(rc.getMetadata().getUid());
      if (rc.getMetadata().getDeletionTimestamp() == null) {
        reconcile(rc);
      }
    }
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (pod.getMetadata().getOwnerReferences().stream().noneMatch(o -> live.contains(o.getUid()))) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      }
    }
  }

  /** The token of the Secret this operator generates for a cluster with token authentication. */
  static String generatedToken(String clusterName) {
    return "kuberay-generated-token-of-" + clusterName;
  }

  private void authSecret(String ns, String name, Map<String, Object> spec) {
    Object auth = spec.get("authOptions");
    if (auth == null) {
      return;
    }
    Map<String, Object> options = map(auth);
    if (!"token".equals(options.get("mode")) || options.get("secretName") != null
        || Boolean.TRUE.equals(options.get("enableK8sTokenAuth"))
        || client.secrets().inNamespace(ns).withName(name).get() != null) {
      return;
    }
    client.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName(name).endMetadata().addToData("auth_token", java.util.Base64.getEncoder().encodeToString(
            generatedToken(name).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build()).create();
  }

  private void reconcile(GenericKubernetesResource rc) {
    String ns = rc.getMetadata().getNamespace();
    String name = rc.getMetadata().getName();
    Map<String, Object> spec = map(rc.getAdditionalProperties().get("spec"));
    authSecret(ns, name, spec);
    // Which pods KubeRay wants: the head, and replicas per worker group.
    Map<String, Integer> wanted = new LinkedHashMap<>();
    wanted.put("", 1);
    Map<String, Map<String, Object>> templates = new HashMap<>();
    templates.put("", map(map(spec.get("headGroupSpec")).get("template")));
    for (Object g : (List<?>) spec.getOrDefault("workerGroupSpecs", List.of())) {
      Map<String, Object> group = map(g);
      String groupName = (String) group.get("groupName");
      wanted.put(groupName, ((Number) group.getOrDefault("replicas", 0)).intValue());
      templates.put(groupName, map(group.get("template")));
    }
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("ray.io/cluster", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(rc.getMetadata().getUid())))
        .toList();
    for (Map.Entry<String, Integer> w : wanted.entrySet()) {
      long have = pods.stream().filter(p -> group(p).equals(w.getKey())).count();
      for (long i = have; i < w.getValue() && replicaFailure.isEmpty(); i++) {
        create(rc, w.getKey(), templates.get(w.getKey()));
      }
    }
    pods = client.pods().inNamespace(ns).withLabel("ray.io/cluster", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(rc.getMetadata().getUid())))
        .toList();
    for (Pod pod : pods) {
      advance(pod);
    }
    pods = client.pods().inNamespace(ns).withLabel("ray.io/cluster", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(rc.getMetadata().getUid())))
        .toList();
    writeStatus(rc, pods, wanted.values().stream().mapToInt(Integer::intValue).sum());
  }

  private void create(GenericKubernetesResource rc, String group, Map<String, Object> template) {
    String cluster = rc.getMetadata().getName();
    String podName = (group.isEmpty() ? cluster + "-head-" : cluster + "-" + group + "-worker-")
        + String.format("%05d", ++podCounter);
    PodTemplateSpec t = client.getKubernetesSerialization().convertValue(template, PodTemplateSpec.class);
    Map<String, String> labels = new HashMap<>();
    if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
      labels.putAll(t.getMetadata().getLabels());
    }
    labels.put("ray.io/cluster", cluster);
    labels.put("ray.io/node-type", group.isEmpty() ? "head" : "worker");
    labels.put("ray.io/group", group.isEmpty() ? "headgroup" : group);
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(podName).withNamespace(rc.getMetadata().getNamespace()).withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("ray.io/v1").withKind("RayCluster")
            .withName(cluster).withUid(rc.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withSpec(t.getSpec())
        .build();
    Pod created = client.pods().inNamespace(rc.getMetadata().getNamespace()).resource(pod).create();
    stages.put(podName, 0);
    created.setStatus(status(created, 0));
    client.pods().inNamespace(rc.getMetadata().getNamespace()).resource(created).updateStatus();
  }

  private void advance(Pod pod) {
    String name = pod.getMetadata().getName();
    int stage = stages.getOrDefault(name, 0);
    for (Map.Entry<Predicate<Pod>, Consumer<PodStatus>> f : faults) {
      if (f.getKey().test(pod)) {
        PodStatus status = status(pod, 0);
        f.getValue().accept(status);
        pod.setStatus(status);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
        return;
      }
    }
    if (stalled || stage >= 2) {
      return;
    }
    stages.put(name, stage + 1);
    pod.setStatus(status(pod, stage + 1));
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
  }

  /** The pod's status at a stage: 0 scheduled, init waiting; 1 bootstrap running; 2 bootstrapped, Running, Ready. */
  private PodStatus status(Pod pod, int stage) {
    String now = clock.instant().toString();
    String earlier = clock.instant().minusSeconds(7).toString();
    List<ContainerStatus> init = new ArrayList<>();
    for (Container c : pod.getSpec().getInitContainers()) {
      ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withReady(stage == 2).withRestartCount(0);
      switch (stage) {
        case 0 -> b.withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState();
        case 1 -> b.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
        default -> b.withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
            .withStartedAt(earlier).withFinishedAt(now).endTerminated().endState();
      }
      init.add(b.build());
    }
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withReady(stage == 2).withRestartCount(0);
      if (stage == 2) {
        b.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
      } else {
        b.withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState();
      }
      containers.add(b.build());
    }
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", "True"));
    conditions.add(condition("Initialized", stage == 2 ? "True" : "False"));
    conditions.add(condition("Ready", stage == 2 ? "True" : "False"));
    PodStatus status = new PodStatus();
    status.setPhase(stage == 2 ? "Running" : "Pending");
    status.setConditions(conditions);
    status.setInitContainerStatuses(init);
    status.setContainerStatuses(containers);
    status.setStartTime(earlier);
    return status;
  }

  private void writeStatus(GenericKubernetesResource rc, List<Pod> pods, int wanted) {
    boolean headReady = pods.stream().anyMatch(p -> head().test(p) && ready(p));
    long ready = pods.stream().filter(SimulatedOperator::ready).count();
    String uid = rc.getMetadata().getUid();
    if (pods.size() == wanted && ready == wanted) {
      provisioned.add(uid);
    }
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(Map.of("type", "HeadPodReady", "status", headReady ? "True" : "False",
        "reason", headReady ? "HeadPodRunningAndReady" : "HeadPodNotFound", "message", "",
        "lastTransitionTime", clock.instant().toString()));
    conditions.add(Map.of("type", "RayClusterProvisioned", "status", provisioned.contains(uid) ? "True" : "False",
        "reason", provisioned.contains(uid) ? "AllPodRunningAndReadyFirstTime" : "RayClusterPodsProvisioning",
        "message", "", "lastTransitionTime", clock.instant().toString()));
    if (!replicaFailure.isEmpty()) {
      conditions.add(replicaFailure);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", conditions);
    status.put("readyWorkerReplicas", pods.stream().filter(p -> !head().test(p) && ready(p)).count());
    if (rc.getMetadata().getGeneration() != null) {
      status.put("observedGeneration", rc.getMetadata().getGeneration());
    }
    rc.setAdditionalProperty("status", status);
    client.genericKubernetesResources("ray.io/v1", "RayCluster").inNamespace(rc.getMetadata().getNamespace())
        .resource(rc).updateStatus();
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static String group(Pod pod) {
    return "head".equals(pod.getMetadata().getLabels().get("ray.io/node-type"))
        ? "" : pod.getMetadata().getLabels().getOrDefault("ray.io/group", "");
  }

  private static PodCondition condition(String type, String status) {
    return new PodConditionBuilder().withType(type).withStatus(status).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  // ---- faults: what the kubelet and the scheduler write when a pod cannot start ----

  /** The container waits for this reason, as the kubelet reports image and configuration problems. */
  static Consumer<PodStatus> waiting(String container, String reason, String message) {
    return status -> containerStatus(status, container).setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
        .withNewWaiting().withReason(reason).withMessage(message).endWaiting().build());
  }

  /** The container keeps exiting with this code and last message: CrashLoopBackOff. */
  static Consumer<PodStatus> crashLoop(String container, int exitCode, String lastMessage) {
    return status -> {
      ContainerStatus c = containerStatus(status, container);
      c.setRestartCount(5);
      c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewWaiting()
          .withReason("CrashLoopBackOff").withMessage("back-off 2m40s restarting failed container=" + container)
          .endWaiting().build());
      c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
          .withExitCode(exitCode).withReason("Error").withMessage(lastMessage).endTerminated().build());
    };
  }

  /** The container was killed for using more memory than its limit, and is restarting. */
  static Consumer<PodStatus> oomKilled(String container) {
    return status -> {
      ContainerStatus c = containerStatus(status, container);
      c.setRestartCount(1);
      c.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewRunning().endRunning().build());
      c.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
          .withExitCode(137).withReason("OOMKilled").endTerminated().build());
    };
  }

  /** The scheduler found no node, since this instant. */
  static Consumer<PodStatus> unschedulable(String message, Instant since) {
    return status -> {
      status.setInitContainerStatuses(List.of());
      status.setContainerStatuses(List.of());
      status.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
          .withReason("Unschedulable").withMessage(message).withLastTransitionTime(since.toString()).build()));
    };
  }

  private static ContainerStatus containerStatus(PodStatus status, String container) {
    List<ContainerStatus> all = new ArrayList<>(status.getInitContainerStatuses());
    all.addAll(status.getContainerStatuses());
    return all.stream().filter(c -> c.getName().equals(container)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + container + " in " + all));
  }
}
