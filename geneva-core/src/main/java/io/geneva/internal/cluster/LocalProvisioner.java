package io.geneva.internal.cluster;

import io.geneva.ClusterSpec;
import io.geneva.LocalCluster;
import io.geneva.spi.Cluster;
import io.geneva.spi.ClusterProvisioner;
import io.geneva.spi.ProvisionContext;

/** The {@code local} provisioner: worker JVM processes on this machine ({@link LocalCluster}). */
public final class LocalProvisioner implements ClusterProvisioner {

  /** For ServiceLoader. */
  public LocalProvisioner() {}

  @Override
  public String type() {
    return LocalCluster.TYPE;
  }

  @Override
  public Cluster provision(ClusterSpec spec, ProvisionContext context) {
    if (!(spec instanceof LocalCluster local)) {
      throw new IllegalArgumentException("the local provisioner takes a LocalCluster, not " + spec.getClass().getName());
    }
    if (local.warmStart() != io.geneva.WarmStart.OFF) {
      return new WarmWorkers(local, context, io.geneva.internal.concurrent.Sleeper.SYSTEM);
    }
    return LocalWorkers.provision(local, context);
  }
}
