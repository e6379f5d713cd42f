package io.geneva.internal.session;

import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobHandle;
import io.geneva.Manifest;
import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent;
import io.geneva.StartupReport;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.job.SubmittedJob;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.Cluster;
import io.geneva.spi.Storage;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open session: the outcome of its start, its storage and its cluster. Thread-safe. */
public final class OpenSession implements GenevaSession {
  private final Manifest manifest;
  private final StartupReport report;
  private final Storage storage;
  private final boolean ownsStorage;
  private final SessionConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean jobFailed = new AtomicBoolean();
  private final java.util.Set<SubmittedJob<?>> unfinished = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final SessionCluster cluster;

  /** Opens a session: runs the start and returns the session holding its results. */
  public static GenevaSession open(SessionConfig config) {
    Storage storage = null;
    boolean ownsStorage = config.storage().isEmpty();
    ForkJoinPool pool =
        new ForkJoinPool(config.parallelism(), ThreadFactories.forkJoinDaemon("geneva-pipeline"), null, false);
    SessionCluster cluster = null;
    try {
      cluster = new SessionCluster(config);
      storage = config.storage().orElseGet(() -> StorageSelector.open(config.effectiveStorageRoot()));
      StartupPipeline.Outcome outcome = StartupPipeline.run(config, storage, pool);
      return new OpenSession(outcome.manifest(), outcome.report(), storage, ownsStorage, config, cluster);
    } catch (RuntimeException | Error e) {
      if (cluster != null) {
        cluster.close(false);
      }
      if (ownsStorage && storage != null) {
        storage.close();
      }
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  private OpenSession(
      Manifest manifest, StartupReport report, Storage storage, boolean ownsStorage, SessionConfig config,
      SessionCluster cluster) {
    this.manifest = manifest;
    this.report = report;
    this.storage = storage;
    this.ownsStorage = ownsStorage;
    this.config = config;
    this.cluster = cluster;
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

  /** The cluster, once provisioned. */
  private Cluster cluster() {
    if (closed.get()) {
      throw new IllegalStateException("the session is closed");
    }
    return cluster.get();
  }

  @Override
  public List<WorkerReport> warmup() {
    Cluster c = cluster();
    event(Phase.WARMUP, ProgressEvent.Type.STARTED, 0, -1, "workers");
    List<WorkerReport> reports = c.warmup(manifestUri());
    event(Phase.WARMUP, ProgressEvent.Type.FINISHED, reports.size(), reports.size(), "workers");
    return reports;
  }

  @Override
  public <R> JobHandle<R> submit(Job<R> job) {
    Cluster c = cluster();
    SubmittedJob<R> handle = SubmittedJob.start(c, job, manifestUri(), config.listener());
    unfinished.add(handle);
    handle.result().whenComplete((r, e) -> {
      unfinished.remove(handle);
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      boolean cancelled = cause != null && cause.getCause() instanceof java.util.concurrent.CancellationException;
      if (e != null && !cancelled) {
        jobFailed.set(true); // a cancelled job did not fail
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
    // A job still running when its session closes is cancelled, on every cluster (a Ray job is stopped).
    for (SubmittedJob<?> job : List.copyOf(unfinished)) {
      job.cancel();
    }
    try {
      cluster.close(jobFailed.get());
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
