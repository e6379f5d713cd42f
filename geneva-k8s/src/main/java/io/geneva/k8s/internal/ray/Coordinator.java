package io.geneva.k8s.internal.ray;

import io.geneva.JobException;
import io.geneva.TaskFailedException;
import io.geneva.TaskResources;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.job.JobRunner;
import io.geneva.spi.Content;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.Storage;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.PlacementGroups;
import io.ray.api.Ray;
import io.ray.api.call.ActorCreator;
import io.ray.api.options.PlacementGroupCreationOptions;
import io.ray.api.placementgroup.PlacementGroup;
import io.ray.api.placementgroup.PlacementStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /** How long a warmup waits for its actors to be placed on distinct nodes. */
  static final int WARMUP_PLACEMENT_SECONDS = 120;
  /** What a bootstrap actor asks of its node: almost nothing, so a busy node still takes one. */
  private static final double WARMUP_CPU = 0.01;

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
      events.accept(JobEvent.error(-1, e.getMessage(), null));
      return false;
    }
    ExecutorService waiters = Executors.newCachedThreadPool(ThreadFactories.daemon("geneva-actor-wait"));
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
          events.accept(JobEvent.error(-1, write.getMessage(), null));
          return false;
        }
        events.accept(JobEvent.of("done", -1, 0, ""));
        return true;
      } catch (java.util.concurrent.CancellationException e) {
        RuntimeException write = observer.writeFailure.get();
        events.accept(JobEvent.error(-1, write != null ? write.getMessage() : "the job was cancelled", null));
        return false;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        int partition = cause instanceof JobException j ? j.partition().orElse(-1) : -1;
        TaskFailedException task = cause != null && cause.getCause() instanceof TaskFailedException t ? t : null;
        events.accept(JobEvent.error(partition, String.valueOf(cause.getMessage()), task));
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.cancel(true);
        events.accept(JobEvent.error(-1, "the coordinator was interrupted", null));
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

  /**
   * Bootstraps the manifest on {@link CoordinatorSpec#warmNodes()} nodes, one actor on each, and
   * reports each as a {@code bootstrapped} event, then {@code done} (or {@code error}).
   *
   * <p>On a cluster the actors are spread by a {@code STRICT_SPREAD} placement group of tiny bundles
   * (a hundredth of a CPU each), so each lands on a different node even when the nodes are busy; if
   * the group cannot be placed within {@value #WARMUP_PLACEMENT_SECONDS} seconds (fewer nodes than
   * asked for), the nodes it could not reach are reported in the error. In Ray's LOCAL mode there is
   * one node and no placement group.
   *
   * @return whether every node bootstrapped
   */
  public boolean warmup() {
    int nodes = spec.warmNodes();
    String manifest = spec.request().manifestUri().toString();
    boolean local = Ray.getRuntimeContext().isLocalMode();
    PlacementGroup group = null;
    List<ActorHandle<GenevaActor>> actors = new ArrayList<>();
    try {
      if (!local && nodes > 1) {
        List<Map<String, Double>> bundles = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          bundles.add(Map.of("CPU", WARMUP_CPU));
        }
        group = PlacementGroups.createPlacementGroup(new PlacementGroupCreationOptions.Builder()
            .setName(spec.request().jobId()).setBundles(bundles).setStrategy(PlacementStrategy.STRICT_SPREAD).build());
        if (!group.wait(WARMUP_PLACEMENT_SECONDS)) {
          events.accept(JobEvent.error(-1, "could not place one bootstrap actor on each of " + nodes + " Ray nodes"
              + " within " + WARMUP_PLACEMENT_SECONDS + " s; fewer nodes are up than pods were ready", null));
          return false;
        }
      }
      List<ObjectRef<byte[]>> refs = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        ActorCreator<GenevaActor> creator = Ray.actor(GenevaActor::new, spec.request().jobId() + "-" + i,
            spec.cacheDirectory(), spec.cacheMaxBytes()).setResource("CPU", WARMUP_CPU);
        if (group != null) {
          creator.setPlacementGroup(group, i);
        }
        ActorHandle<GenevaActor> actor = creator.remote();
        actors.add(actor);
        refs.add(actor.task(GenevaActor::bootstrap, manifest).remote());
      }
      boolean ok = true;
      for (int i = 0; i < refs.size(); i++) {
        Wire.Outcome outcome = Wire.Outcome.decode(refs.get(i).get());
        if (outcome.kind() != Wire.Kind.RESULT) {
          events.accept(JobEvent.error(-1, outcome.message(), null));
          ok = false;
          continue;
        }
        Wire.Bootstrapped b = Wire.Bootstrapped.decode(outcome.value());
        events.accept(new JobEvent("bootstrapped", -1, 0, spec.request().jobId() + "-" + i, false, "", null,
            WorkerReport.builder(b.node()).pid(b.pid()).packagesFetched(b.fetched()).packagesFromCache(b.fromCache())
                .bytesFetched(b.bytes()).bootstrapMillis(b.millis()).alreadyReady(b.already()).build()));
      }
      if (ok) {
        events.accept(JobEvent.of("done", -1, 0, ""));
      }
      return ok;
    } catch (RuntimeException e) {
      events.accept(JobEvent.error(-1, "warmup failed: " + e.getMessage(), null));
      return false;
    } finally {
      for (ActorHandle<GenevaActor> a : actors) {
        try {
          a.kill();
        } catch (RuntimeException e) {
          // already gone
        }
      }
      if (group != null) {
        PlacementGroups.removePlacementGroup(group.getId());
      }
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
          cause instanceof TaskFailedException t ? t : null, null));
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
