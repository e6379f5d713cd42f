package io.geneva.spi;

import io.geneva.ClusterSpec;

/**
 * Creates or reuses clusters of one {@link ClusterSpec#type() type}; found by {@link
 * java.util.ServiceLoader} under {@code META-INF/services/io.geneva.spi.ClusterProvisioner}.
 * Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface ClusterProvisioner {

  /** The spec type this provisioner serves, for example {@code local} or {@code kuberay}. */
  String type();

  /**
   * Creates the cluster the spec describes, or reuses a running one whose recorded spec digest
   * matches. Blocks until the cluster can take work (its workers may still have to bootstrap).
   *
   * @throws io.geneva.ProvisioningException if the cluster cannot be created or reached
   * @throws IllegalArgumentException if the spec is not of this provisioner's type
   */
  Cluster provision(ClusterSpec spec, ProvisionContext context);
}
