package io.geneva.k8s;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Kubernetes API says about a spec's RayCluster and its pods at one moment, for {@code
 * geneva cluster status}. Immutable.
 *
 * @param name the cluster's name
 * @param namespace its namespace
 * @param exists whether a RayCluster of this name exists
 * @param recordedDigest the spec digest the RayCluster records; empty if none or no cluster
 * @param specMatches whether that digest is the spec's: a session with this spec would reuse it
 * @param ready whether its conditions say it is ready
 * @param conditions its {@code status.conditions}, in the operator's order
 * @param pods its pods (found by the label {@code ray.io/cluster}), in the API server's order
 */
public record KubeRayStatus(
    String name,
    String namespace,
    boolean exists,
    Optional<String> recordedDigest,
    boolean specMatches,
    boolean ready,
    List<Condition> conditions,
    List<Pod> pods) {

  /** Checks and copies the components. */
  public KubeRayStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(recordedDigest, "recordedDigest");
    conditions = List.copyOf(conditions);
    pods = List.copyOf(pods);
  }

  /**
   * One status condition of the RayCluster.
   *
   * @param type such as {@code HeadPodReady}
   * @param status {@code True}, {@code False} or {@code Unknown}
   * @param reason the operator's reason, or empty
   * @param message the operator's message, or empty
   */
  public record Condition(String type, String status, String reason, String message) {
    /** Checks the components. */
    public Condition {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * One pod of the cluster.
   *
   * @param name the pod's name
   * @param role {@code head}, or {@code worker (group cpu)}
   * @param ready whether the pod is ready
   * @param state one line: phase, readiness, the bootstrap's progress, containers' waiting reasons
   * @param problem why it cannot start, naming the container, the reason and the fix; empty if
   *     nothing says so
   */
  public record Pod(String name, String role, boolean ready, String state, Optional<String> problem) {
    /** Checks the components. */
    public Pod {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
