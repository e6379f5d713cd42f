package io.geneva.k8s.internal.ray;

import io.geneva.GenevaException;
import io.geneva.StorageException;
import io.geneva.WorkerReport;
import io.geneva.internal.job.TaskSetupException;
import io.geneva.internal.worker.Bootstrapper;
import io.geneva.internal.worker.NodeCache;
import io.geneva.internal.worker.TaskExecution;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A Geneva worker as a Ray actor: it bootstraps a manifest into the node's package cache (digests
 * checked, one download per package per node, shared with the pod's init container and the node's
 * other actors) and runs partitions of a task in that manifest's class loader, one at a time.
 *
 * <p>Its methods take and return byte arrays ({@link Wire}), so nothing of a task crosses Ray's
 * serialization, and never throw for what a task or its manifest does: the outcome says it. An
 * exception out of a method, or the actor dying, means the actor is lost.
 */
public final class GenevaActor {
  private final String name;
  private final Bootstrapper bootstrapper;

  /**
   * An actor with its package cache in {@code cacheDirectory} (the node's, {@code GENEVA_CACHE} in a
   * Geneva pod), kept to at most {@code cacheMaxBytes}.
   */
  public GenevaActor(String name, String cacheDirectory, Long cacheMaxBytes) {
    this.name = name;
    this.bootstrapper = new Bootstrapper(NodeCache.open(Path.of(cacheDirectory), cacheMaxBytes, Clock.systemUTC()),
        name, 4);
  }

  /**
   * Bootstraps the manifest now; returns a {@link Wire.Outcome} whose value is a {@link
   * Wire.Bootstrapped}, or that says why it could not.
   */
  public byte[] bootstrap(String manifestUri) {
    try {
      WorkerReport r = bootstrapper.bootstrap(URI.create(manifestUri)).getValue();
      return Wire.Outcome.result(new Wire.Bootstrapped(node(), r.pid(), r.packagesFetched(), r.packagesFromCache(),
          r.bytesFetched(), r.bootstrapMillis(), r.alreadyReady()).encode()).encode();
    } catch (RuntimeException e) {
      return failure(Wire.Kind.SETUP_FAILED, e);
    }
  }

  /** Runs one attempt of one partition ({@link Wire.Call}); returns its {@link Wire.Outcome}. */
  public byte[] run(byte[] encodedCall) {
    Wire.Call call = Wire.Call.decode(encodedCall);
    try {
      Bootstrapper.Prepared prepared = bootstrapper.bootstrap(URI.create(call.manifestUri())).getKey();
      TaskExecution.Context context = new TaskExecution.Context(call.partition(), call.partitions(), call.attempt(),
          call.jobId(), name, call.parameters());
      return Wire.Outcome.result(TaskExecution.run(prepared, call.taskClass(), context)).encode();
    } catch (TaskExecution.TaskThrew e) {
      Throwable t = e.getCause();
      return Wire.Outcome.failure(Wire.Kind.TASK_FAILED, t.getClass().getName(),
          t.getMessage() == null ? "" : t.getMessage(), t.getStackTrace()).encode();
    } catch (TaskSetupException e) {
      return failure(Wire.Kind.SETUP_FAILED, e);
    } catch (StorageException e) {
      return failure(e.retryable() ? Wire.Kind.FAILED : Wire.Kind.SETUP_FAILED, e);
    } catch (GenevaException e) {
      return failure(Wire.Kind.SETUP_FAILED, e); // a corrupt or unreadable manifest: no retry helps
    } catch (RuntimeException e) {
      return failure(Wire.Kind.FAILED, e);
    }
  }

  /** The node this actor runs on, for reports. */
  public String node() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  private byte[] failure(Wire.Kind kind, RuntimeException e) {
    String message = e instanceof GenevaException ? e.getMessage() : e.toString();
    return Wire.Outcome.failure(kind, e.getClass().getName(), "worker " + name + ": " + message,
        new StackTraceElement[0]).encode();
  }

  @Override
  public String toString() {
    return "GenevaActor[" + name + "]";
  }
}
