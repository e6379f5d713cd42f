package io.geneva.k8s.internal.ray;

import io.geneva.TaskFailedException;
import io.geneva.internal.job.TaskSetupException;
import io.geneva.internal.job.Worker;
import io.geneva.internal.job.WorkerLostException;
import io.geneva.spi.JobRequest;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.exception.RayActorException;
import io.ray.api.exception.RayException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A {@link GenevaActor} as the {@link io.geneva.internal.job.JobRunner} sees it. An attempt is one actor
 * call; a thread of the coordinator waits for its result, so the runner's retry and commit logic is
 * the local cluster's. A dead actor is a lost worker.
 */
final class ActorWorker implements Worker {
  private final String name;
  private final ActorHandle<GenevaActor> actor;
  private final ExecutorService waiters;

  ActorWorker(String name, ActorHandle<GenevaActor> actor, ExecutorService waiters) {
    this.name = name;
    this.actor = actor;
    this.waiters = waiters;
  }

  @Override
  public String name() {
    return name;
  }

  ActorHandle<GenevaActor> actor() {
    return actor;
  }

  @Override
  public CompletableFuture<byte[]> run(JobRequest request, int partition, int attempt) {
    byte[] call = new Wire.Call(request.manifestUri().toString(), request.taskClass(), partition,
        request.partitions(), attempt, request.jobId(), request.parameters()).encode();
    ObjectRef<byte[]> ref = actor.task(GenevaActor::run, call).remote();
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    waiters.execute(() -> {
      try {
        complete(result, Wire.Outcome.decode(ref.get()));
      } catch (RayActorException e) {
        result.completeExceptionally(new WorkerLostException("actor " + name + " died: " + firstLine(e), e));
      } catch (RayException e) {
        result.completeExceptionally(new WorkerLostException("actor " + name + " failed: " + firstLine(e), e));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static void complete(CompletableFuture<byte[]> result, Wire.Outcome outcome) {
    switch (outcome.kind()) {
      case RESULT -> result.complete(outcome.value());
      case TASK_FAILED -> result.completeExceptionally(
          new TaskFailedException(outcome.exceptionClass(), outcome.message(), outcome.stack()));
      case SETUP_FAILED -> result.completeExceptionally(new TaskSetupException(outcome.message()));
      case FAILED -> result.completeExceptionally(new IllegalStateException(outcome.message()));
    }
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public String toString() {
    return "ActorWorker[" + name + "]";
  }
}
