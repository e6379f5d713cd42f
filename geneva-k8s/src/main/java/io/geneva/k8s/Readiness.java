package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ProvisioningException;
import io.geneva.internal.concurrent.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits, by polling (the API server's watches are not needed for a wait of minutes), for a cluster
 * to be ready, for its pods to have bootstrapped, or for a deleted cluster to be gone. Each wait
 * fails fast when a pod cannot start ({@link PodDiagnosis}) or the operator cannot create one, and
 * fails after the spec's {@link KubeRayCluster#readyTimeout() ready timeout} with what it was
 * waiting for. Time comes from the given clock and passes through the given sleeper, so tests wait
 * for nothing. Not thread-safe: one wait at a time.
 */
final class Readiness {
  /** Time between two polls. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final KubeApi api;
  private final KubeRayCluster spec;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Instant> firstUnschedulable = new HashMap<>();

  Readiness(KubeApi api, KubeRayCluster spec, Clock clock, Sleeper sleeper) {
    this.api = api;
    this.spec = spec;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** What a finished wait saw: how long it took, the cluster's pods and the RayCluster at the end. */
  record Ready(Duration waited, List<JsonNode> pods, ObjectNode rayCluster) {}

  /** Waits until the RayCluster's conditions say ready. */
  Ready awaitCluster() {
    Instant start = clock.instant();
    return poll("was not ready", () -> {
      ObjectNode rc = current();
      List<JsonNode> pods = pods(uid(rc));
      failFast(rc, pods);
      return Conditions.ready(rc) ? Optional.of(new Ready(since(start), pods, rc)) : Optional.empty();
    }, this::clusterState);
  }

  /**
   * Waits until every pod of the cluster has run Geneva's bootstrap to success and is ready. A pod
   * the autoscaler removes while this waits no longer counts; one it adds does.
   */
  Ready awaitPods() {
    Instant start = clock.instant();
    return poll("had not bootstrapped every pod", () -> {
      ObjectNode rc = current();
      List<JsonNode> pods = pods(uid(rc));
      failFast(rc, pods);
      boolean done = !pods.isEmpty() && pods.stream().allMatch(Readiness::bootstrapped);
      return done ? Optional.of(new Ready(since(start), pods, rc)) : Optional.empty();
    }, this::podState);
  }

  /** Waits until the RayCluster of the spec's name no longer exists (after a delete). */
  void awaitGone() {
    poll("was not deleted", () -> api.rayCluster(spec.namespace(), spec.name()).isPresent()
        ? Optional.empty() : Optional.of(Boolean.TRUE), () -> "it still exists, with its pods being deleted");
  }

  /** Whether the pod has bootstrapped and is ready: what warmup waits for. */
  static boolean bootstrapped(JsonNode pod) {
    PodDiagnosis.Bootstrap b = PodDiagnosis.bootstrap(pod);
    return PodDiagnosis.ready(pod) && (b == PodDiagnosis.Bootstrap.DONE || b == PodDiagnosis.Bootstrap.ABSENT);
  }

  private Duration since(Instant start) {
    return Duration.between(start, clock.instant());
  }

  /**
   * Tries until the attempt returns a value, or the ready timeout passes.
   *
   * @param notYet what is not done yet, for the timeout's message ({@code was not ready})
   * @param state what the cluster looks like, for the timeout's message
   */
  private <T> T poll(String notYet, Supplier<Optional<T>> attempt, Supplier<String> state) {
    Instant deadline = clock.instant().plus(spec.readyTimeout());
    while (true) {
      Optional<T> done = attempt.get();
      if (done.isPresent()) {
        return done.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new ProvisioningException(subject() + " " + notYet + " within the ready timeout of "
            + DurationText.format(spec.readyTimeout()) + ": " + state.get() + "; raise readyTimeout if it is only"
            + " slow, or see kubectl describe raycluster " + spec.name() + " -n " + spec.namespace());
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProvisioningException("interrupted while waiting: " + subject() + " " + notYet + " yet", e);
      }
    }
  }

  private ObjectNode current() {
    return api.rayCluster(spec.namespace(), spec.name()).orElseThrow(() -> new ProvisioningException(subject()
        + " was deleted while Geneva waited for it; provision it again"));
  }

  private List<JsonNode> pods(String uid) {
    return api.pods(spec.namespace(), spec.name()).stream()
        .filter(p -> !PodDiagnosis.leaving(p) && PodDiagnosis.ownedBy(p, uid))
        .toList();
  }

  private void failFast(ObjectNode rc, List<JsonNode> pods) {
    Instant now = clock.instant();
    Function<String, Instant> since = pod -> firstUnschedulable.computeIfAbsent(pod, p -> now);
    for (JsonNode pod : pods) {
      Optional<String> problem = PodDiagnosis.problem(pod, spec, now, since);
      if (problem.isPresent()) {
        throw new ProvisioningException(subject() + " cannot start: " + problem.get());
      }
    }
    Conditions.replicaFailure(rc).ifPresent(c -> {
      throw new ProvisioningException(subject() + " cannot start: the KubeRay operator cannot create its pods: "
          + c.reason() + (c.message().isEmpty() ? "" : " (" + c.message() + ")")
          + "; see kubectl describe raycluster " + spec.name() + " -n " + spec.namespace());
    });
  }

  private String clusterState() {
    Optional<ObjectNode> rc = api.rayCluster(spec.namespace(), spec.name());
    if (rc.isEmpty()) {
      return "it no longer exists";
    }
    return Conditions.summary(rc.get()) + "; " + podLines(pods(uid(rc.get())));
  }

  private String podState() {
    Optional<ObjectNode> rc = api.rayCluster(spec.namespace(), spec.name());
    if (rc.isEmpty()) {
      return "it no longer exists";
    }
    List<JsonNode> pods = pods(uid(rc.get()));
    List<JsonNode> waiting = pods.stream().filter(p -> !bootstrapped(p)).toList();
    return waiting.size() + " of " + pods.size() + " pods not bootstrapped and ready; " + podLines(waiting);
  }

  private static String podLines(List<JsonNode> pods) {
    if (pods.isEmpty()) {
      return "no pods yet";
    }
    return "pods: " + String.join("; ", pods.stream()
        .map(p -> PodDiagnosis.name(p) + " (" + PodDiagnosis.role(p) + "): " + PodDiagnosis.describe(p)).toList());
  }

  static String uid(ObjectNode rc) {
    return rc.path("metadata").path("uid").asText("");
  }

  private String subject() {
    return "KubeRay cluster \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }
}
