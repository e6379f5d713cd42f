package io.geneva.k8s.ray;

import io.geneva.JobException;
import io.geneva.TaskFailedException;
import io.geneva.TaskResources;
import io.geneva.job.JobRunner;
import io.geneva.spi.Content;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.Storage;
import io.geneva.storage.StorageSelector;
import io.ray.api.ActorHandle;
import io.ray.api.Ray;
import io.ray.api.call.ActorCreator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs one Geneva job on the Ray cluster it is connected to: the Ray job's entrypoint on the head.
 *
 * <p>It plans how many {@link GenevaActor}s the job can use (one per task that fits on the pods the
 * worker groups may scale to, at most one per partition), creates them with the job's per-task
 * resource request, so Ray places them where resources are free and Ray's autoscaler adds worker
 * pods for those still waiting, and runs the partitions on them with {@link JobRunner}: failed
 * attempts retried on other actors, lost actors dropped, results committed in partition order. Each
 * committed result is written to the manifest's storage ({@link CoordinatorSpec#resultKey}) before
 * its {@code committed} event is printed, so the session can read it as soon as it sees the event.
 *
 * <p>Ray must be initialized by the caller.
 */
public final class Coordinator {
  private final CoordinatorSpec spec;
  private final Storage storage;
  private final Consumer<JobEvent> events;

  /**
   * @param storage the manifest's storage, where results go
   * @param events where progress goes, in order (the log, for the entrypoint)
   */
  public Coordinator(CoordinatorSpec spec, Storage storage, Consumer<JobEvent> events) {
    this.spec = spec;
    this.storage = storage;
    this.events = events;
  }

  /**
   * Runs the job to its end and reports it as a {@code done} or {@code error} event.
   *
   * @return whether the job succeeded
   */
  public boolean run() {
    JobRequest request = spec.request();
    int count;
    try {
      count = spec.actors();
    } catch (IllegalArgumentException e) {
      events.accept(new JobEvent("error", -1, 0, "", false, e.getMessage(), null));
      return false;
    }
    ExecutorService waiters = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "geneva-actor-wait");
      t.setDaemon(true);
      return t;
    });
    List<ActorWorker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        String name = request.jobId() + "-" + i;
        ActorCreator<GenevaActor> creator =
            Ray.actor(GenevaActor::new, name, spec.cacheDirectory(), spec.cacheMaxBytes());
        resources(creator, request.resources());
        workers.add(new ActorWorker(name, creator.remote(), waiters));
      }
      Observer observer = new Observer();
      CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request, workers, observer);
      observer.job = job;
      try {
        job.get();
        RuntimeException write = observer.writeFailure.get();
        if (write != null) { // failed before the runner could be cancelled
          events.accept(new JobEvent("error", -1, 0, "", false, write.getMessage(), null));
          return false;
        }
        events.accept(JobEvent.of("done", -1, 0, ""));
        return true;
      } catch (java.util.concurrent.CancellationException e) {
        RuntimeException write = observer.writeFailure.get();
        events.accept(new JobEvent("error", -1, 0, "", false,
            write != null ? write.getMessage() : "the job was cancelled", null));
        return false;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        int partition = cause instanceof JobException j ? j.partition().orElse(-1) : -1;
        TaskFailedException task = cause != null && cause.getCause() instanceof TaskFailedException t ? t : null;
        events.accept(new JobEvent("error", partition, 0, "", false, String.valueOf(cause.getMessage()), task));
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.cancel(true);
        events.accept(new JobEvent("error", -1, 0, "", false, "the coordinator was interrupted", null));
        return false;
      }
    } finally {
      for (ActorWorker w : workers) {
        try {
          w.actor().kill();
        } catch (RuntimeException e) {
          // already gone
        }
      }
      waiters.shutdownNow();
    }
  }

  private static void resources(ActorCreator<GenevaActor> creator, TaskResources task) {
    creator.setResource("CPU", task.cpus());
    if (task.gpus() > 0) {
      creator.setResource("GPU", (double) task.gpus());
    }
    if (task.memoryBytes() > 0) {
      creator.setResource("memory", (double) task.memoryBytes());
    }
  }

  /** Turns the runner's callbacks into events, writing each committed result first. */
  private final class Observer implements JobObserver {
    private final AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
    private volatile @Nullable CompletableFuture<?> job;

    @Override
    public void started(int partition, int attempt, String worker) {
      events.accept(JobEvent.of("started", partition, attempt, worker));
    }

    @Override
    public void succeeded(int partition, int attempt, String worker) {
      events.accept(JobEvent.of("succeeded", partition, attempt, worker));
    }

    @Override
    public void failed(int partition, int attempt, String worker, Throwable cause, boolean retrying) {
      events.accept(new JobEvent("failed", partition, attempt, worker, retrying, String.valueOf(cause.getMessage()),
          cause instanceof TaskFailedException t ? t : null));
    }

    @Override
    public void committed(PartitionOutcome outcome) {
      try {
        storage.put(CoordinatorSpec.resultKey(spec.request().jobId(), outcome.index()), Content.ofBytes(outcome.value()));
      } catch (RuntimeException e) {
        writeFailure.compareAndSet(null, new IllegalStateException("the result of partition " + outcome.index()
            + " could not be written to " + storage.root() + ": " + e.getMessage(), e));
        CompletableFuture<?> j = job;
        if (j != null) {
          j.cancel(true);
        }
        return;
      }
      events.accept(JobEvent.of("committed", outcome.index(), outcome.attempts(), outcome.worker()));
    }
  }
}
