package io.geneva.pipeline;

import io.geneva.ClusterSpec;
import io.geneva.GenevaException;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobHandle;
import io.geneva.LocalCluster;
import io.geneva.Manifest;
import io.geneva.ProgressEvent;
import io.geneva.ProgressEvent.Phase;
import io.geneva.ProvisioningException;
import io.geneva.StartupReport;
import io.geneva.WorkerReport;
import io.geneva.cluster.ClusterProvisioners;
import io.geneva.job.SubmittedJob;
import io.geneva.spi.Cluster;
import io.geneva.spi.ProvisionContext;
import io.geneva.spi.Storage;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** The session {@link StartupPipeline#open} returns. Thread-safe. */
final class OpenSession implements GenevaSession {
  private final Manifest manifest;
  private final StartupReport report;
  private final Storage storage;
  private final boolean ownsStorage;
  private final SessionConfig config;
  private final ClusterSpec clusterSpec;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean jobFailed = new AtomicBoolean();
  private CompletableFuture<Cluster> cluster;

  OpenSession(Manifest manifest, StartupReport report, Storage storage, boolean ownsStorage, SessionConfig config) {
    this.manifest = manifest;
    this.report = report;
    this.storage = storage;
    this.ownsStorage = ownsStorage;
    this.config = config;
    this.clusterSpec = config.cluster().orElseGet(LocalCluster::defaults);
    if (config.cluster().isPresent()) {
      // Workers start while the caller does whatever comes between open() and the first job.
      startProvisioning();
    }
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public String manifestDigest() {
    return report.manifestDigest();
  }

  @Override
  public URI manifestUri() {
    return URI.create(report.manifestUri());
  }

  @Override
  public StartupReport startupReport() {
    return report;
  }

  private synchronized CompletableFuture<Cluster> startProvisioning() {
    if (cluster == null) {
      ProvisionContext context =
          new ProvisionContext(config.home(), manifest, manifestUri(), config.clock(), config.listener());
      cluster = CompletableFuture.supplyAsync(() -> {
        event(Phase.PROVISION, ProgressEvent.Type.STARTED, 0, -1, "workers");
        Cluster c = ClusterProvisioners.forType(clusterSpec.type()).provision(clusterSpec, context);
        event(Phase.PROVISION, ProgressEvent.Type.FINISHED, 1, 1, "clusters");
        return c;
      }, runnable -> {
        Thread t = new Thread(runnable, "geneva-provision");
        t.setDaemon(true);
        t.start();
      });
    }
    return cluster;
  }

  /** The cluster, once provisioned. */
  Cluster cluster() {
    if (closed.get()) {
      throw new IllegalStateException("the session is closed");
    }
    try {
      return startProvisioning().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GenevaException g) {
        throw g;
      }
      throw new ProvisioningException("cannot provision " + clusterSpec + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public List<WorkerReport> warmup() {
    Cluster c = cluster();
    event(Phase.WARMUP, ProgressEvent.Type.STARTED, 0, -1, "workers");
    List<WorkerReport> reports = c.warmup();
    event(Phase.WARMUP, ProgressEvent.Type.FINISHED, reports.size(), reports.size(), "workers");
    return reports;
  }

  @Override
  public <R> JobHandle<R> submit(Job<R> job) {
    Cluster c = cluster();
    SubmittedJob<R> handle = SubmittedJob.start(c, job, manifestUri(), config.listener());
    handle.result().whenComplete((r, e) -> {
      if (e != null) {
        jobFailed.set(true);
      }
    });
    return handle;
  }

  private void event(Phase phase, ProgressEvent.Type type, long done, long total, String unit) {
    config.listener().onEvent(new ProgressEvent(phase, type, done, total, unit));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      CompletableFuture<Cluster> c;
      synchronized (this) {
        c = cluster;
      }
      if (c != null) {
        try {
          c.join().close(jobFailed.get());
        } catch (CompletionException e) {
          // Provisioning failed: there is nothing to release, and the failure was reported where used.
        }
      }
    } finally {
      if (ownsStorage) {
        storage.close();
      }
    }
  }

  @Override
  public String toString() {
    return "GenevaSession[manifest " + report.manifestUri() + "]";
  }
}
