package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a RayCluster's {@code status} the way KubeRay 1.3+ writes it: {@code status.conditions} of
 * type {@value #HEAD_POD_READY} (the head pod is ready), {@value #PROVISIONED} (every pod was ready
 * once) and {@value #REPLICA_FAILURE} (the operator could not create a pod). Older operators, or
 * KubeRay 1.2 without its {@code RayClusterStatusConditions} feature gate, write no conditions; for
 * those the deprecated {@code status.state: ready} counts instead.
 */
final class Conditions {
  static final String HEAD_POD_READY = "HeadPodReady";
  static final String PROVISIONED = "RayClusterProvisioned";
  static final String REPLICA_FAILURE = "ReplicaFailure";

  private Conditions() {}

  /** One condition as read. */
  record Condition(String type, String status, String reason, String message) {
    boolean isTrue() {
      return status.equals("True");
    }

    @Override
    public String toString() {
      String why = reason.isEmpty() ? message : message.isEmpty() ? reason : reason + ": " + message;
      return type + "=" + status + (why.isEmpty() ? "" : " (" + why + ")");
    }
  }

  static List<Condition> of(JsonNode rayCluster) {
    List<Condition> out = new ArrayList<>();
    for (JsonNode c : rayCluster.path("status").path("conditions")) {
      out.add(new Condition(c.path("type").asText(""), c.path("status").asText(""), c.path("reason").asText(""),
          c.path("message").asText("")));
    }
    return out;
  }

  static Optional<Condition> get(JsonNode rayCluster, String type) {
    return of(rayCluster).stream().filter(c -> c.type().equals(type)).findFirst();
  }

  /**
   * Whether the cluster is ready: the status describes the current spec (its observed generation has
   * caught up), and the head is ready and every pod was ready once.
   */
  static boolean ready(JsonNode rayCluster) {
    JsonNode status = rayCluster.path("status");
    JsonNode generation = rayCluster.path("metadata").path("generation");
    JsonNode observed = status.path("observedGeneration");
    if (generation.isNumber() && observed.isNumber() && observed.asLong() < generation.asLong()) {
      return false;
    }
    List<Condition> conditions = of(rayCluster);
    if (conditions.isEmpty()) {
      return status.path("state").asText("").equals("ready");
    }
    return get(rayCluster, HEAD_POD_READY).map(Condition::isTrue).orElse(false)
        && get(rayCluster, PROVISIONED).map(Condition::isTrue).orElse(false);
  }

  /** The operator's reason for not creating a pod, if it reports one. */
  static Optional<Condition> replicaFailure(JsonNode rayCluster) {
    return get(rayCluster, REPLICA_FAILURE).filter(Condition::isTrue);
  }

  /** The conditions in one line, for messages: {@code HeadPodReady=False (...), RayClusterProvisioned=False}. */
  static String summary(JsonNode rayCluster) {
    List<Condition> conditions = of(rayCluster);
    if (conditions.isEmpty()) {
      String state = rayCluster.path("status").path("state").asText("");
      return "no status conditions" + (state.isEmpty() ? "" : ", state " + state)
          + " (is the KubeRay operator running? conditions need KubeRay 1.3 or newer)";
    }
    return String.join(", ", conditions.stream().map(Condition::toString).toList());
  }
}
