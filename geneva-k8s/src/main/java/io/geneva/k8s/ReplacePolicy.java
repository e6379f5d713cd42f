package io.geneva.k8s;

/**
 * What the provisioner does when a RayCluster of the spec's name already exists but records a
 * different {@link KubeRayCluster#digest() spec digest} (or none: one Geneva did not make).
 *
 * <p>The default is {@link #FAIL}, because each of the other two can hurt a cluster that someone is
 * using: another session, or another person, may run jobs on it, and KubeRay does not roll running
 * pods onto a changed pod template. Choosing is cheap; undoing a deleted cluster is not.
 */
public enum ReplacePolicy {
  /**
   * Merge-patch the running RayCluster to the new spec (fields the new spec drops are removed) and
   * keep it. Fast, and right for what KubeRay and the Ray autoscaler apply live (replica bounds, idle
   * timeouts, new worker groups). Pods that already run keep the template they started with (image,
   * resources, environment) until they are replaced, as KubeRay does not roll them.
   */
  PATCH,
  /**
   * Delete the running RayCluster (its pods first) and create the new one: every pod then matches
   * the spec, at the cost of a cold start and of stopping whatever ran on the old cluster.
   */
  REPLACE,
  /** Change nothing and fail, saying what differs and how to choose {@link #PATCH} or {@link #REPLACE}. */
  FAIL
}
