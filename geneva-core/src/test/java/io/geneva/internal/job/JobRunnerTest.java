package io.geneva.internal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.JobException;
import io.geneva.TaskFailedException;
import io.geneva.internal.concurrent.ManualScheduler;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class JobRunnerTest {
  private static final URI MANIFEST = URI.create("file:///s/manifests/" + "a".repeat(64) + ".json");

  /** A worker whose attempts the test completes by hand, recording what it was given. */
  static final class ManualWorker implements Worker {
    final String name;
    final List<int[]> given = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<byte[]>> attempts = Collections.synchronizedList(new ArrayList<>());
    volatile boolean stopped;

    ManualWorker(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<byte[]> run(JobRequest request, int partition, int attempt) {
      given.add(new int[] {partition, attempt});
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      attempts.add(f);
      return f;
    }

    void succeedLast() {
      int[] last = given.get(given.size() - 1);
      attempts.get(attempts.size() - 1).complete(("p" + last[0]).getBytes(StandardCharsets.UTF_8));
    }

    void failLast(Throwable e) {
      attempts.get(attempts.size() - 1).completeExceptionally(e);
    }

    int lastPartition() {
      return given.get(given.size() - 1)[0];
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }

  static JobRequest request(int partitions, int maxAttempts, Duration taskTimeout) {
    return request(partitions, maxAttempts).toBuilder().taskTimeout(taskTimeout).build();
  }

  /** A worker that answers at once with a function of partition and attempt. */
  static Worker answering(String name, BiFunction<Integer, Integer, CompletableFuture<byte[]>> answer) {
    return new Worker() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompletableFuture<byte[]> run(JobRequest request, int partition, int attempt) {
        return answer.apply(partition, attempt);
      }
    };
  }

  static JobRequest request(int partitions, int maxAttempts) {
    return JobRequest.builder().jobId("job-1").taskClass("x.Task").partitions(partitions).maxAttempts(maxAttempts)
        .manifestUri(MANIFEST).build();
  }

  static TaskFailedException boom(String message) {
    return new TaskFailedException("java.lang.IllegalStateException", message, new StackTraceElement[0]);
  }

  @Test
  void resultsComeInPartitionOrderWhateverOrderTheyFinishIn() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker b = new ManualWorker("b");
    List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(3, 1), List.of(a, b), new JobObserver() {
      @Override
      public void committed(int partition) {
        committed.add(partition);
      }
    });
    assertThat(a.lastPartition()).isEqualTo(0);
    assertThat(b.lastPartition()).isEqualTo(1);
    b.succeedLast(); // partition 1 first: not committed before 0
    assertThat(committed).isEmpty();
    assertThat(b.lastPartition()).isEqualTo(2);
    b.succeedLast();
    a.succeedLast();
    assertThat(committed).containsExactly(0, 1, 2);
    assertThat(job.join()).extracting(o -> new String(o.value(), StandardCharsets.UTF_8)).containsExactly("p0", "p1", "p2");
    assertThat(job.join()).extracting(PartitionOutcome::worker).containsExactly("a", "b", "b");
  }

  // Regression: two attempts finishing at once on different threads reported their commits out of
  // order (seen as "committed 0, 1, 3, 2" from Ray actors).
  @Test
  void commitsAreReportedInPartitionOrder_whenAttemptsFinishOnManyThreadsAtOnce() {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        workers.add(answering("w" + i, (p, attempt) -> CompletableFuture.supplyAsync(() -> new byte[] {1}, pool)));
      }
      List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
      JobRunner.run(request(3000, 1), workers, new JobObserver() {
        @Override
        public void committed(int partition) {
          committed.add(partition);
          Thread.yield(); // widen the window between two threads' reports
        }
      }).join();

      assertThat(committed).hasSize(3000).isSorted();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void committedOutcomes_carryTheResultToAnObserverThatForwardsThem() {
    List<String> forwarded = Collections.synchronizedList(new ArrayList<>());
    Worker w = answering("w", (p, attempt) -> CompletableFuture.completedFuture(("r" + p).getBytes(StandardCharsets.UTF_8)));

    JobRunner.run(request(3, 1), List.of(w), new JobObserver() {
      @Override
      public void committed(PartitionOutcome outcome) {
        forwarded.add(outcome.index() + "=" + new String(outcome.value(), StandardCharsets.UTF_8) + "@" + outcome.worker());
      }
    }).join();

    assertThat(forwarded).containsExactly("0=r0@w", "1=r1@w", "2=r2@w");
  }

  @Test
  void failedAttemptIsRetriedOnAnotherWorker() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker b = new ManualWorker("b");
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(2, 3), List.of(a, b), JobObserver.NONE);
    b.succeedLast(); // partition 1 done; b idle, nothing pending
    a.failLast(boom("first try")); // partition 0 fails on a: must go to b, not back to a
    assertThat(b.given).extracting(g -> g[0] + "@" + g[1]).containsExactly("1@1", "0@2");
    assertThat(a.given).hasSize(1);
    b.succeedLast();
    assertThat(job.join().get(0).attempts()).isEqualTo(2);
    assertThat(job.join().get(0).worker()).isEqualTo("b");
  }

  @Test
  void lostWorkerGetsNoMoreWorkAndItsPartitionRunsElsewhere() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker b = new ManualWorker("b");
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(3, 3), List.of(a, b), JobObserver.NONE);
    a.failLast(new WorkerLostException("a died", null));
    b.succeedLast(); // partition 1; then b takes partition 0 again (front of the queue)
    assertThat(b.lastPartition()).isEqualTo(0);
    b.succeedLast();
    b.succeedLast();
    assertThat(job.join()).extracting(PartitionOutcome::worker).containsOnly("b");
    assertThat(a.given).hasSize(1);
  }

  @Test
  void partitionThatFailsEveryAttemptFailsTheJobNamingPartitionWorkerAndException() {
    Worker w = answering("w1", (p, attempt) -> CompletableFuture.failedFuture(boom("bad input in partition " + p)));
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(1, 2), List.of(w), JobObserver.NONE);
    assertThatThrownBy(job::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageContaining("partition 0 of job job-1 (x.Task) failed 2 times")
        .hasMessageContaining("on worker w1")
        .hasMessageContaining("IllegalStateException: bad input in partition 0")
        .hasCauseInstanceOf(TaskFailedException.class);
  }

  @Test
  void setupFailureFailsAtOnceWithoutRetrying() {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    Worker w = answering("w1", (p, attempt) -> {
      attempts.add(attempt);
      return CompletableFuture.failedFuture(new TaskSetupException("task class x.Task is not in the shipped classpath"));
    });
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(4, 3), List.of(w), JobObserver.NONE);
    assertThatThrownBy(job::join).cause().isInstanceOf(JobException.class)
        .hasMessageContaining("x.Task is not in the shipped classpath");
    assertThat(attempts).containsExactly(1);
  }

  @Test
  void noWorkerLeftFailsTheJob() {
    Worker w = answering("w1", (p, attempt) -> CompletableFuture.failedFuture(new WorkerLostException("killed", null)));
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(2, 5), List.of(w), JobObserver.NONE);
    assertThatThrownBy(job::join).cause().isInstanceOf(JobException.class).hasMessageContaining("no worker left");
  }

  @Test
  void cancellingTheJobCancelsRunningAttempts() {
    ManualWorker a = new ManualWorker("a");
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(3, 1), List.of(a), JobObserver.NONE);
    job.cancel(true);
    assertThat(a.attempts.get(0)).isCancelled();
    assertThat(a.given).hasSize(1);
  }

  // Issue 15 item 10: an attempt that never returns is abandoned after the job's task timeout, its
  // worker stopped, and the partition retried on another worker.
  @Test
  void attemptPastTheTaskTimeout_isAbandoned_itsWorkerStopped_andThePartitionRetriedElsewhere() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker b = new ManualWorker("b");
    ManualScheduler time = new ManualScheduler();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(2, 3, Duration.ofSeconds(30)), List.of(a, b),
        new JobObserver() {
          @Override
          public void failed(int partition, int attempt, String worker, Throwable error, boolean retrying) {
            failures.add(partition + "@" + worker + ": " + error.getClass().getSimpleName() + " retrying=" + retrying);
          }
        }, time, WorkerReplacer.NONE);
    b.succeedLast(); // partition 1 done on b; a never returns partition 0

    time.elapseAll();

    assertThat(time.delays()).contains(Duration.ofSeconds(30));
    assertThat(a.stopped).isTrue();
    assertThat(a.attempts.get(0)).isCancelled();
    assertThat(failures).containsExactly("0@a: TaskTimeoutException retrying=true");
    assertThat(b.given).extracting(g -> g[0] + "@" + g[1]).containsExactly("1@1", "0@2");
    b.succeedLast();
    assertThat(job.join()).extracting(PartitionOutcome::worker).containsExactly("b", "b");
    assertThat(a.given).hasSize(1); // a stopped worker gets no more work
    assertThat(b.stopped).isFalse();
  }

  @Test
  void partitionWhoseEveryAttemptTimesOut_failsTheJobNamingTheTimeout() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker b = new ManualWorker("b");
    ManualScheduler time = new ManualScheduler();
    CompletableFuture<List<PartitionOutcome>> job =
        JobRunner.run(request(1, 2, Duration.ofMillis(1500)), List.of(a, b), JobObserver.NONE, time, WorkerReplacer.NONE);
    time.elapseAll(); // attempt 1 on a
    time.elapseAll(); // attempt 2 on b

    assertThatThrownBy(job::join).cause()
        .isInstanceOf(JobException.class)
        .hasMessageContaining("partition 0 of job job-1 (x.Task) failed 2 times; the last attempt, on worker b, timed out")
        .hasMessageContaining("did not finish within PT1.5S (the job's task timeout)")
        .hasMessageContaining("Job.taskTimeout")
        .hasCauseInstanceOf(TaskTimeoutException.class);
    assertThat(a.stopped).isTrue();
    assertThat(b.stopped).isTrue();
  }

  @Test
  void attemptThatFinishesInTime_cancelsItsTimer() {
    ManualWorker a = new ManualWorker("a");
    ManualScheduler time = new ManualScheduler();
    CompletableFuture<List<PartitionOutcome>> job =
        JobRunner.run(request(1, 1, Duration.ofSeconds(1)), List.of(a), JobObserver.NONE, time, WorkerReplacer.NONE);
    a.succeedLast();

    time.elapseAll();

    assertThat(job.join()).hasSize(1);
    assertThat(a.stopped).isFalse();
  }

  @Test
  void lostLastWorker_isReplaced_andTheJobFinishesOnTheReplacement() {
    ManualWorker a = new ManualWorker("a");
    ManualWorker replacement = new ManualWorker("a'");
    List<String> replaced = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(2, 3), List.of(a), JobObserver.NONE,
        new ManualScheduler(), lost -> {
          replaced.add(lost.name());
          return CompletableFuture.completedFuture(Optional.of(replacement));
        });
    a.failLast(new WorkerLostException("a was killed", null));

    assertThat(replaced).containsExactly("a");
    replacement.succeedLast();
    replacement.succeedLast();
    assertThat(job.join()).extracting(o -> o.index() + "@" + o.worker() + "#" + o.attempts())
        .containsExactly("0@a'#2", "1@a'#1");
  }

  @Test
  void lostLastWorker_withNoReplacement_failsTheJobNamingTheLoss() {
    ManualWorker a = new ManualWorker("a");
    CompletableFuture<List<PartitionOutcome>> job = JobRunner.run(request(2, 3), List.of(a), JobObserver.NONE,
        new ManualScheduler(), lost -> CompletableFuture.failedFuture(new IllegalStateException("cluster closed")));
    a.failLast(new WorkerLostException("worker a (pid 7) is gone", null));

    assertThatThrownBy(job::join).cause().isInstanceOf(JobException.class)
        .hasMessageContaining("has no worker left: the last one, a, was lost: worker a (pid 7) is gone")
        .hasMessageContaining("no replacement could be started: cluster closed");
  }
}
