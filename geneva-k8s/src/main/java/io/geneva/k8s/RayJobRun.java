package io.geneva.k8s;

import io.geneva.GenevaException;
import io.geneva.JobException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.k8s.internal.ray.CoordinatorSpec;
import io.geneva.k8s.internal.ray.JobEvent;
import io.geneva.spi.JobObserver;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Geneva job as a Ray job, seen from the session: submitted through the Jobs REST API with the
 * {@link CoordinatorSpec} in its environment, then followed by polling its status and its log. Each
 * event line of the log reaches the {@link JobObserver}; each committed partition's result is read
 * from the manifest's storage, where the coordinator wrote it, and removed once the job is over.
 * Cancelling the future stops the Ray job.
 */
final class RayJobRun {
  private static final Logger log = LoggerFactory.getLogger(RayJobRun.class);
  /** Polls that may fail in a row (a head restarting, a dropped port-forward) before the job is given up. */
  private static final int TOLERATED_POLL_FAILURES = 5;

  private final RayJobsClient client;
  private final CoordinatorSpec spec;
  private final String cluster;
  private final JobObserver observer;
  private final Duration pollInterval;
  private final Sleeper sleeper;
  private final String submissionId;
  private final CompletableFuture<List<PartitionOutcome>> result = new CompletableFuture<>();
  private final PartitionOutcome[] outcomes;
  private final List<WorkerReport> bootstrapped = java.util.Collections.synchronizedList(new ArrayList<>());
  private int logOffset;
  private @Nullable JobEvent error;
  private volatile boolean stopRequested;
  private boolean settled;
  private @Nullable List<PartitionOutcome> success;
  private @Nullable Throwable failure;

  private RayJobRun(RayJobsClient client, CoordinatorSpec spec, String cluster, JobObserver observer,
      Duration pollInterval, Sleeper sleeper) {
    this.client = client;
    this.spec = spec;
    this.cluster = cluster;
    this.observer = observer;
    this.pollInterval = pollInterval;
    this.sleeper = sleeper;
    this.submissionId = "geneva-" + spec.request().jobId();
    this.outcomes = new PartitionOutcome[spec.request().partitions()];
  }

  /**
   * Submits the job and follows it on a daemon thread.
   *
   * @param entrypoint the command that runs the coordinator on the head
   * @param environment the session's variables for the job's processes
   * @param pollInterval how long to wait between two reads of the job's status and log
   * @param sleeper how to wait that long
   */
  static CompletableFuture<List<PartitionOutcome>> start(RayJobsClient client, CoordinatorSpec spec, String cluster,
      String entrypoint, Map<String, String> environment, JobObserver observer, Duration pollInterval,
      Sleeper sleeper) {
    return submit(new RayJobRun(client, spec, cluster, observer, pollInterval, sleeper), entrypoint, environment);
  }

  /**
   * Submits a warmup ({@link CoordinatorSpec#warmNodes()} above 0) and follows it; the future
   * completes with what each node's bootstrap actor reported.
   */
  static CompletableFuture<List<WorkerReport>> warm(RayJobsClient client, CoordinatorSpec spec, String cluster,
      String entrypoint, Map<String, String> environment, Duration pollInterval, Sleeper sleeper) {
    RayJobRun run = new RayJobRun(client, spec, cluster, JobObserver.NONE, pollInterval, sleeper);
    return submit(run, entrypoint, environment).thenApply(ignored -> List.copyOf(run.bootstrapped));
  }

  private static CompletableFuture<List<PartitionOutcome>> submit(RayJobRun run, String entrypoint,
      Map<String, String> environment) {
    RayJobsClient client = run.client;
    CoordinatorSpec spec = run.spec;
    String cluster = run.cluster;
    String jobId = spec.request().jobId();
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(CoordinatorSpec.ENV, spec.toJson());
    try {
      client.submit(run.submissionId, entrypoint, env,
          Map.of("geneva.job", jobId, "geneva.task", spec.request().taskClass(),
              "geneva.manifest", spec.request().manifestUri().toString()));
    } catch (RayJobsClient.Failure e) {
      return CompletableFuture.failedFuture(
          new JobException("job " + jobId + " could not be submitted to " + cluster + ": " + e.getMessage(), e));
    }
    log.info("job {} submitted to {} as Ray job {}", jobId, cluster, run.submissionId);
    run.result.whenComplete((r, e) -> {
      if (e instanceof CancellationException) {
        run.stopRequested = true;
        try {
          client.stop(run.submissionId);
        } catch (GenevaException stop) {
          log.warn("job {} was cancelled, but Ray job {} on {} could not be stopped: {}; stop it with ray job stop {}",
              jobId, run.submissionId, cluster, stop.getMessage(), run.submissionId);
        }
      }
    });
    ThreadFactories.startDaemon("geneva-ray-job-" + jobId, run::follow);
    return run.result;
  }

  private void follow() {
    // A warmup writes no results, so it reads no storage.
    try (Storage storage = spec.warmNodes() > 0 ? null
        : StorageSelector.open(spec.request().manifest().storageRoot())) {
      try {
        poll(storage);
      } finally {
        if (storage != null) {
          cleanUp(storage);
        }
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      settle();
    }
  }

  /** Follows the job until it ends or the session stops waiting. */
  private void poll(@Nullable Storage storage) {
    String jobId = spec.request().jobId();
    int failures = 0;
    while (!result.isDone() && !settled) {
      RayJobsClient.Info info;
      try {
        info = client.status(submissionId);
        read(client.logs(submissionId), info.status().terminal(), storage);
        failures = 0;
      } catch (RayJobsClient.Failure e) {
        // Not found, or a token refused: polling again cannot help.
        if (++failures >= TOLERATED_POLL_FAILURES || e.status() == 404 || e.status() == 401 || e.status() == 403) {
          fail(new JobException("job " + jobId + " lost track of Ray job " + submissionId + ": " + e.getMessage(), e));
          break;
        }
        log.debug("polling Ray job {} failed ({} in a row): {}", submissionId, failures, e.getMessage());
        sleep();
        continue;
      } catch (RuntimeException e) {
        fail(e);
        break;
      }
      if (info.status().terminal()) {
        finish(info);
        break;
      }
      sleep();
    }
  }

  /** Acts on the whole lines of the log not seen yet (all of it once the job is over). */
  private void read(String logs, boolean last, @Nullable Storage storage) {
    int end = last ? logs.length() : logs.lastIndexOf('\n') + 1;
    if (end <= logOffset) {
      return;
    }
    String fresh = logs.substring(logOffset, end);
    logOffset = end;
    for (String line : fresh.split("\n")) {
      JobEvent.parse(line).ifPresent(e -> act(e, storage));
    }
  }

  private void act(JobEvent e, @Nullable Storage storage) {
    switch (e.type()) {
      case "started" -> observer.started(e.partition(), e.attempt(), e.worker());
      case "succeeded" -> observer.succeeded(e.partition(), e.attempt(), e.worker());
      case "failed" -> observer.failed(e.partition(), e.attempt(), e.worker(),
          e.taskFailure() != null ? e.taskFailure() : new GenevaException(e.message()), e.retrying());
      case "committed" -> {
        PartitionOutcome outcome = new PartitionOutcome(e.partition(), e.attempt(), e.worker(),
            readResult(Objects.requireNonNull(storage, "a warmup commits nothing"), e.partition()));
        outcomes[e.partition()] = outcome;
        observer.committed(outcome);
      }
      case "error" -> error = e;
      case "bootstrapped" -> {
        if (e.report() != null) {
          bootstrapped.add(e.report());
        }
      }
      default -> {
        // "done", and types of a newer coordinator
      }
    }
  }

  private byte[] readResult(Storage storage, int partition) {
    try (InputStream in = storage.open(CoordinatorSpec.resultKey(spec.request().jobId(), partition))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new JobException("the result of partition " + partition + " of job " + spec.request().jobId()
          + " could not be read from " + storage.root() + ": " + e, partition, e);
    }
  }

  private void finish(RayJobsClient.Info info) {
    String jobId = spec.request().jobId();
    switch (info.status()) {
      case SUCCEEDED -> {
        if (spec.warmNodes() > 0) {
          succeed(List.of());
          return;
        }
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < outcomes.length; p++) {
          if (outcomes[p] == null) {
            missing.add(p);
          }
        }
        if (missing.isEmpty()) {
          succeed(List.of(outcomes));
        } else {
          fail(new JobException("Ray job " + submissionId + " on " + cluster + " succeeded, but partitions " + missing
              + " of job " + jobId + " were never committed in its log; the head's Geneva is not the session's", null));
        }
      }
      case FAILED -> {
        JobEvent e = error;
        if (e != null) {
          fail(e.partition() >= 0
              ? new JobException(e.message(), e.partition(), e.taskFailure())
              : new JobException("job " + jobId + " failed on " + cluster + ": " + e.message(), e.taskFailure()));
        } else {
          fail(new JobException("Ray job " + submissionId + " of job " + jobId + " on " + cluster + " failed: "
              + firstLines(info.message()), null));
        }
      }
      case STOPPED -> {
        if (!stopRequested) {
          fail(new JobException("Ray job " + submissionId + " of job " + jobId + " on " + cluster
              + " was stopped by someone else (ray job stop, or the dashboard)", null));
        }
      }
      default -> throw new IllegalStateException("not terminal: " + info.status());
    }
  }

  /** The job ended well; the session hears it once the results are cleaned up. */
  private void succeed(List<PartitionOutcome> all) {
    success = all;
    settled = true;
  }

  /** The job ended badly; the session hears it once the results are cleaned up. */
  private void fail(Throwable e) {
    if (!settled) {
      failure = e;
      settled = true;
    }
  }

  /** Completes the future with how the job ended, after the clean-up. */
  private void settle() {
    if (failure != null) {
      result.completeExceptionally(failure);
    } else if (success != null) {
      result.complete(success);
    } else if (!result.isDone()) {
      result.completeExceptionally(new JobException("following Ray job " + submissionId + " on " + cluster
          + " stopped without an outcome", null));
    }
  }

  private void sleep() {
    try {
      sleeper.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.cancel(true);
    }
  }

  /** Results are only in storage until the session has them. */
  private void cleanUp(Storage storage) {
    for (int p = 0; p < outcomes.length; p++) {
      try {
        storage.delete(CoordinatorSpec.resultKey(spec.request().jobId(), p));
      } catch (RuntimeException e) {
        log.debug("result {} of job {} not deleted: {}", p, spec.request().jobId(), e.getMessage());
      }
    }
  }

  private static String firstLines(String message) {
    String[] lines = message.strip().split("\n");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(3, lines.length); i++) {
      s.append(i == 0 ? "" : " | ").append(lines[i].strip());
    }
    return s.toString();
  }
}
