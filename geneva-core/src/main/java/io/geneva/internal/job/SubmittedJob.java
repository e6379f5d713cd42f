package io.geneva.internal.job;

import io.geneva.GenevaException;
import io.geneva.Job;
import io.geneva.JobException;
import io.geneva.JobHandle;
import io.geneva.JobResult;
import io.geneva.PartitionReport;
import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job submitted to a cluster: turns the partition outcomes into results (deserialized with the
 * task class's loader, or the submitting thread's context loader), and reports progress.
 *
 * @param <R> the result of one partition
 */
public final class SubmittedJob<R> implements JobHandle<R> {
  private final String id;
  private final CompletableFuture<List<PartitionOutcome>> outcomes;
  private final CompletableFuture<JobResult<R>> result;

  private SubmittedJob(String id, CompletableFuture<List<PartitionOutcome>> outcomes, CompletableFuture<JobResult<R>> result) {
    this.id = id;
    this.outcomes = outcomes;
    this.result = result;
  }

  /** Submits the job to the cluster. */
  public static <R> SubmittedJob<R> start(Cluster cluster, Job<R> job, URI manifestUri, ProgressListener listener) {
    String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
    JobRequest request = JobRequest.builder()
        .jobId(id)
        .taskClass(job.taskClass())
        .partitions(job.partitions())
        .maxAttempts(job.maxAttempts())
        .parameters(job.parameters())
        .manifestUri(manifestUri)
        .resources(job.resources())
        .taskTimeout(job.taskTimeout())
        .build();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    long start = System.nanoTime();
    AtomicInteger finished = new AtomicInteger();
    listener.onEvent(new ProgressEvent(Phase.JOB, ProgressEvent.Type.STARTED, 0, job.partitions(), "partitions"));
    JobObserver observer = new JobObserver() {
      @Override
      public void succeeded(int partition, int attempt, String worker) {
        listener.onEvent(new ProgressEvent(
            Phase.JOB, ProgressEvent.Type.PROGRESS, finished.incrementAndGet(), job.partitions(), "partitions"));
      }
    };
    CompletableFuture<List<PartitionOutcome>> outcomes = cluster.run(request, observer);
    CompletableFuture<JobResult<R>> result = outcomes.handle((list, error) -> {
      listener.onEvent(new ProgressEvent(Phase.JOB, ProgressEvent.Type.FINISHED, finished.get(), job.partitions(), "partitions"));
      if (error != null) {
        throw new CompletionException(asJobException(id, error));
      }
      List<R> values = new ArrayList<>(list.size());
      List<PartitionReport> reports = new ArrayList<>(list.size());
      for (PartitionOutcome o : list) {
        values.add(SubmittedJob.<R>deserialize(o, loader, job.taskClass()));
        reports.add(new PartitionReport(o.index(), o.attempts(), o.worker()));
      }
      return new JobResult<>(id, values, reports, Duration.ofNanos(System.nanoTime() - start));
    });
    return new SubmittedJob<>(id, outcomes, result);
  }

  private static GenevaException asJobException(String id, Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof CancellationException) {
      return new JobException("job " + id + " was cancelled", e);
    }
    return e instanceof GenevaException g ? g : new JobException("job " + id + " failed: " + e, e);
  }

  @SuppressWarnings("unchecked")
  private static <R> R deserialize(PartitionOutcome o, ClassLoader loader, String taskClass) {
    try (InputStream bytes = new ByteArrayInputStream(o.value());
        ObjectInputStream in = new ObjectInputStream(bytes) {
          @Override
          protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
              return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
              return super.resolveClass(desc);
            }
          }
        }) {
      return (R) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new JobException("the result of partition " + o.index() + " (task " + taskClass + ") is of class "
          + e.getMessage() + ", which this JVM does not have; put it on the submitting program's classpath", o.index(), e);
    } catch (IOException e) {
      throw new JobException("the result of partition " + o.index() + " cannot be read: " + e, o.index(), e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public CompletableFuture<JobResult<R>> result() {
    return result;
  }

  @Override
  public JobResult<R> join() {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GenevaException g) {
        throw g;
      }
      throw new JobException("job " + id + " failed: " + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      throw new JobException("job " + id + " was cancelled", e);
    }
  }

  @Override
  public void cancel() {
    outcomes.cancel(true);
  }

  @Override
  public String toString() {
    return "JobHandle[" + id + "]";
  }
}
