package io.geneva;

/**
 * Plain data describing a cluster: which provisioner builds it ({@link #type()}), its name and its
 * exit policy. A provisioner records a digest of the spec on the cluster, so a session with an equal
 * spec reuses the running cluster instead of creating one. Implementations are immutable.
 *
 * @see LocalCluster
 */
public interface ClusterSpec {

  /** The provisioner type, for example {@code local}; selects the provisioner by ServiceLoader. */
  String type();

  /** The cluster's name, unique per type and Geneva home (or namespace). */
  String name();

  /** What happens to the cluster when the session closes. */
  ExitPolicy exitPolicy();
}
