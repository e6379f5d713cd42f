package io.geneva.internal.job;

import io.geneva.JobException;
import io.geneva.TaskFailedException;
import io.geneva.internal.concurrent.Scheduler;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job's partitions on a set of workers: every idle worker takes the next pending partition; a
 * failed attempt goes back to the front of the queue and, where another worker exists, is not given
 * to the worker it failed on; a lost worker gets no more work; results are committed in partition
 * order. An attempt that runs past the job's task timeout is abandoned: its worker is stopped, as a
 * lost one, and the partition retried. A lost worker is replaced through the {@link WorkerReplacer}
 * while the job runs. The job fails when a partition used up its attempts, when a failure cannot be
 * fixed by a retry, or when no worker is left and none is being started.
 *
 * <p>Thread-safe; one instance per job. Worker futures may complete on any thread.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final JobRequest request;
  private final JobObserver observer;
  private final Scheduler scheduler;
  private final WorkerReplacer replacer;
  private final CompletableFuture<List<PartitionOutcome>> result = new CompletableFuture<>();

  private final Deque<Integer> pending = new ArrayDeque<>();
  private final int[] attempts;
  private final List<Set<String>> failedOn = new ArrayList<>();
  private final PartitionOutcome[] outcomes;
  private final Set<Worker> live = new LinkedHashSet<>();
  private final Set<Worker> idle = new LinkedHashSet<>();
  private final Map<Worker, CompletableFuture<byte[]>> running = new HashMap<>();
  private final Object commitOrder = new Object();
  private int committed;
  private boolean finished;
  private int replacing;
  private String lastLoss = "";

  private JobRunner(
      JobRequest request, List<? extends Worker> workers, JobObserver observer, Scheduler scheduler,
      WorkerReplacer replacer) {
    this.request = request;
    this.observer = observer;
    this.scheduler = scheduler;
    this.replacer = replacer;
    this.attempts = new int[request.partitions()];
    this.outcomes = new PartitionOutcome[request.partitions()];
    for (int p = 0; p < request.partitions(); p++) {
      pending.add(p);
      failedOn.add(new HashSet<>());
    }
    live.addAll(workers);
    idle.addAll(workers);
  }

  /**
   * Starts the job. The returned future completes with one outcome per partition in partition order,
   * or exceptionally with a {@link JobException}; cancelling it cancels every running attempt.
   */
  public static CompletableFuture<List<PartitionOutcome>> run(
      JobRequest request, List<? extends Worker> workers, JobObserver observer) {
    return run(request, workers, observer, Scheduler.system(), WorkerReplacer.NONE);
  }

  /**
   * Starts the job as {@link #run(JobRequest, List, JobObserver)} does, timing attempts out on this
   * scheduler after the request's task timeout, and replacing lost workers through replacer.
   */
  public static CompletableFuture<List<PartitionOutcome>> run(
      JobRequest request, List<? extends Worker> workers, JobObserver observer, Scheduler scheduler,
      WorkerReplacer replacer) {
    JobRunner runner = new JobRunner(request, workers, observer, scheduler, replacer);
    runner.result.whenComplete((r, e) -> {
      if (e instanceof CancellationException) {
        runner.stop();
      }
    });
    if (workers.isEmpty()) {
      runner.result.completeExceptionally(
          new JobException("job " + request.jobId() + " has no worker to run on", null));
      return runner.result;
    }
    runner.dispatch();
    return runner.result;
  }

  private void dispatch() {
    List<Runnable> starts = new ArrayList<>();
    synchronized (this) {
      if (finished) {
        return;
      }
      for (Iterator<Worker> it = idle.iterator(); it.hasNext() && !pending.isEmpty(); ) {
        Worker worker = it.next();
        Integer partition = next(worker);
        if (partition == null) {
          continue;
        }
        it.remove();
        pending.remove(partition);
        int attempt = ++attempts[partition];
        starts.add(() -> start(worker, partition, attempt));
      }
    }
    starts.forEach(Runnable::run);
  }

  /** The first pending partition that did not fail on this worker, unless it failed on all of them. */
  private Integer next(Worker worker) {
    for (Integer p : pending) {
      Set<String> failed = failedOn.get(p);
      if (!failed.contains(worker.name()) || failedOnEveryLiveWorker(failed)) {
        return p;
      }
    }
    return null;
  }

  private boolean failedOnEveryLiveWorker(Set<String> failed) {
    for (Worker w : live) {
      if (!failed.contains(w.name())) {
        return false;
      }
    }
    return true;
  }

  private void start(Worker worker, int partition, int attempt) {
    observer.started(partition, attempt, worker.name());
    CompletableFuture<byte[]> attemptFuture;
    try {
      attemptFuture = worker.run(request, partition, attempt);
    } catch (RuntimeException e) {
      attemptFuture = CompletableFuture.failedFuture(e);
    }
    synchronized (this) {
      if (finished) {
        attemptFuture.cancel(true);
        return;
      }
      running.put(worker, attemptFuture);
    }
    CompletableFuture<byte[]> f = attemptFuture;
    Scheduler.Cancellable timer = f.isDone()
        ? () -> {}
        : scheduler.schedule(request.taskTimeout(), () -> timedOut(worker, partition, attempt, f));
    f.whenComplete((value, error) -> {
      timer.cancel();
      if (!claim(worker, f)) {
        return; // already handled: timed out, or the job stopped
      }
      if (error == null) {
        succeeded(worker, partition, attempt, value);
      } else {
        failed(worker, partition, attempt, unwrap(error));
      }
    });
  }

  /** Takes a running attempt's completion for this thread; false if another took it first. */
  private synchronized boolean claim(Worker worker, CompletableFuture<byte[]> attempt) {
    return running.remove(worker, attempt);
  }

  /** The attempt ran past the task timeout: its worker is stopped and the attempt counts as failed. */
  private void timedOut(Worker worker, int partition, int attempt, CompletableFuture<byte[]> f) {
    if (!claim(worker, f)) {
      return;
    }
    TaskTimeoutException timeout = new TaskTimeoutException(partition, attempt, worker.name(), request.taskTimeout());
    log.info("job {}: {}", request.jobId(), timeout.getMessage());
    try {
      worker.stop();
    } catch (RuntimeException e) {
      timeout.addSuppressed(e);
    }
    f.cancel(true);
    failed(worker, partition, attempt, timeout);
  }

  private void succeeded(Worker worker, int partition, int attempt, byte[] value) {
    List<PartitionOutcome> all = null;
    // Held from taking the newly committed partitions to telling the observer, so that two attempts
    // finishing at once cannot report their commits out of order.
    synchronized (commitOrder) {
      List<PartitionOutcome> newlyCommitted = new ArrayList<>();
      synchronized (this) {
        if (finished) {
          return;
        }
        outcomes[partition] = new PartitionOutcome(partition, attempt, worker.name(), value);
        idle.add(worker);
        while (committed < outcomes.length && outcomes[committed] != null) {
          newlyCommitted.add(outcomes[committed++]);
        }
        if (committed == outcomes.length) {
          finished = true;
          all = List.of(outcomes);
        }
      }
      observer.succeeded(partition, attempt, worker.name());
      for (PartitionOutcome o : newlyCommitted) {
        observer.committed(o);
      }
    }
    if (all != null) {
      result.complete(all);
    } else {
      dispatch();
    }
  }

  private void failed(Worker worker, int partition, int attempt, Throwable error) {
    JobException fatal = null;
    boolean retrying;
    boolean lost = error instanceof WorkerLostException || error instanceof TaskTimeoutException;
    synchronized (this) {
      if (finished) {
        return;
      }
      if (lost) {
        live.remove(worker);
        replacing++;
        lastLoss = worker.name() + ", " + describe(error);
      } else {
        idle.add(worker);
      }
      failedOn.get(partition).add(worker.name());
      if (error instanceof TaskSetupException) {
        fatal = new JobException("job " + request.jobId() + " cannot run: " + error.getMessage(), partition, error);
      } else if (attempt >= request.maxAttempts()) {
        fatal = new JobException(
            "partition " + partition + " of job " + request.jobId() + " (" + request.taskClass() + ") failed "
                + attempt + (attempt == 1 ? " time" : " times") + "; the last attempt, on worker "
                + worker.name() + ", " + describe(error),
            partition,
            error);
      } else {
        pending.addFirst(partition);
      }
      retrying = fatal == null;
      if (fatal != null) {
        finished = true;
      }
    }
    log.debug("partition {} attempt {} failed on {}: {}", partition, attempt, worker.name(), error.toString());
    observer.failed(partition, attempt, worker.name(), error, retrying);
    if (fatal != null) {
      stop();
      result.completeExceptionally(fatal);
      return;
    }
    if (lost) {
      replace(worker, partition, error);
    }
    dispatch();
  }

  /** Asks for a replacement of a lost worker; the job fails if it was the last and none comes. */
  private void replace(Worker lost, int partition, Throwable error) {
    CompletableFuture<Optional<Worker>> replacement;
    try {
      replacement = replacer.replace(lost);
    } catch (RuntimeException e) {
      replacement = CompletableFuture.failedFuture(e);
    }
    replacement.whenComplete((worker, failure) -> {
      Worker added = failure == null ? worker.orElse(null) : null;
      JobException fatal = null;
      synchronized (this) {
        replacing--;
        if (finished) {
          return;
        }
        if (added != null) {
          live.add(added);
          idle.add(added);
        } else if (live.isEmpty() && replacing == 0) {
          finished = true;
          fatal = new JobException(
              "job " + request.jobId() + " has no worker left: the last one, " + lastLoss
                  + (failure == null ? "" : "; no replacement could be started: " + unwrap(failure).getMessage()),
              partition,
              error);
        }
      }
      if (added != null) {
        log.info("job {}: worker {} replaces lost worker {}", request.jobId(), added.name(), lost.name());
      }
      if (fatal != null) {
        stop();
        result.completeExceptionally(fatal);
      } else {
        dispatch();
      }
    });
  }

  private static String describe(Throwable error) {
    if (error instanceof TaskFailedException) {
      return "threw " + error.getMessage();
    }
    if (error instanceof WorkerLostException) {
      return "was lost: " + error.getMessage();
    }
    if (error instanceof TaskTimeoutException) {
      return "timed out: " + error.getMessage();
    }
    return "failed: " + error.getMessage();
  }

  /** Cancels every running attempt (the job failed or was cancelled). */
  private void stop() {
    List<CompletableFuture<byte[]>> toCancel;
    synchronized (this) {
      finished = true;
      toCancel = new ArrayList<>(running.values());
      running.clear();
    }
    toCancel.forEach(f -> f.cancel(true));
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  @Override
  public synchronized String toString() {
    return "JobRunner[" + request.jobId() + ", committed " + committed + "/" + outcomes.length
        + ", attempts " + Arrays.toString(attempts) + "]";
  }
}
