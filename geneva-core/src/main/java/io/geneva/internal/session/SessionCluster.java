package io.geneva.internal.session;

import io.geneva.ClusterSpec;
import io.geneva.GenevaException;
import io.geneva.LocalCluster;
import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent;
import io.geneva.ProvisioningException;
import io.geneva.internal.cluster.ClusterProvisioners;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.spi.Cluster;
import io.geneva.spi.ProvisionContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A session's cluster, provisioned in the background: from the start of {@code open()} when the
 * caller set a spec (so worker JVMs start while the classpath is packed), or at first use otherwise.
 * Thread-safe.
 */
final class SessionCluster {
  private final ClusterSpec spec;
  private final ProvisionContext context;
  private CompletableFuture<Cluster> cluster;
  private boolean closed;

  SessionCluster(SessionConfig config) {
    this.spec = config.cluster().orElseGet(LocalCluster::defaults);
    this.context = ProvisionContext.builder()
        .home(config.home())
        .jvmOptions(config.jvmOptions())
        .environment(config.environment())
        .clock(config.clock())
        .listener(config.listener())
        .build();
    if (config.cluster().isPresent()) {
      start();
    }
  }

  private synchronized CompletableFuture<Cluster> start() {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (cluster == null) {
      cluster = CompletableFuture.supplyAsync(() -> {
        event(ProgressEvent.Type.STARTED);
        Cluster c = ClusterProvisioners.forType(spec.type()).provision(spec, context);
        event(ProgressEvent.Type.FINISHED);
        return c;
      }, runnable -> ThreadFactories.startDaemon("geneva-provision", runnable));
    }
    return cluster;
  }

  private void event(ProgressEvent.Type type) {
    int n = spec instanceof LocalCluster local ? local.workerCount() : -1;
    context.listener().onEvent(new ProgressEvent(Phase.PROVISION, type, type == ProgressEvent.Type.STARTED ? 0 : n, n, "workers"));
  }

  /** The cluster, provisioning it now if that has not started. */
  Cluster get() {
    try {
      return start().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GenevaException g) {
        throw g;
      }
      throw new ProvisioningException("cannot provision " + spec + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Releases the cluster by its exit policy, waiting for a provisioning in progress so no worker is
   * left behind. Idempotent.
   */
  void close(boolean sessionFailed) {
    CompletableFuture<Cluster> c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = cluster;
    }
    if (c != null) {
      try {
        c.join().close(sessionFailed);
      } catch (CompletionException e) {
        // Provisioning failed: nothing to release; the failure surfaces where the cluster is used.
      }
    }
  }
}
