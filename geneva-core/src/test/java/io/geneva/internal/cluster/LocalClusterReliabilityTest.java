package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ExitPolicy;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobException;
import io.geneva.JobHandle;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.Manifest;
import io.geneva.PartitionReport;
import io.geneva.WorkerReport;
import io.geneva.internal.job.TaskTimeoutException;
import io.geneva.testfixture.OutOfMemoryTask;
import io.geneva.testfixture.SessionHolder;
import io.geneva.testfixture.SquareTask;
import io.geneva.testfixture.StuckTask;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's worker cases, with real worker JVMs and real kills: a worker lost while it bootstraps,
 * a task that runs out of memory, a task that never returns, and two sessions sharing a cluster.
 */
class LocalClusterReliabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path home;

  GenevaSession.Builder session(LocalCluster cluster) {
    return Geneva.connect().home(home).classpath(LocalClusterTest.classpath()).projectDirectory(home).cluster(cluster);
  }

  @AfterEach
  void stopLeftWorkers() throws IOException {
    Path clusters = home.resolve("clusters/local");
    if (!Files.isDirectory(clusters)) {
      return;
    }
    try (Stream<Path> files = Files.walk(clusters)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("worker-\\d+\\.properties")).toList()) {
        LocalClusterTest.workerProcess(f).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  // Item 8: kill -9 of one of two workers while it bootstraps failed the whole warmup.
  @Test
  void warmupSurvivesKillDashNineOfAWorkerWhileItBootstraps_andBootstrapsAReplacement() throws Exception {
    try (GenevaSession session = session(LocalCluster.workers(2)).open();
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      Manifest.Package first = session.manifest().classpath().get(0);
      Path locks = Files.createDirectories(home.resolve("cache/locks"));
      Path leases = Files.createDirectories(home.resolve("cache/leases"));
      leases.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      long victim;
      CompletableFuture<List<WorkerReport>> warmup;
      // Holding the package's node-cache lock keeps every worker's bootstrap waiting for it.
      try (FileChannel channel = FileChannel.open(locks.resolve(first.sha256() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        warmup = CompletableFuture.supplyAsync(session::warmup);
        Set<Long> bootstrapping = awaitLeaseHolders(watch, leases, 2);
        victim = bootstrapping.iterator().next();
        ProcessHandle process = ProcessHandle.of(victim).orElseThrow();
        assertThat(process.destroyForcibly()).isTrue(); // SIGKILL mid-bootstrap
        assertThat(process.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(warmup).isNotDone();
      }

      List<WorkerReport> reports = warmup.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(reports).hasSize(2).extracting(WorkerReport::pid).doesNotContain(victim);
      assertThat(reports).filteredOn(r -> !r.replaced().isEmpty()).singleElement().satisfies(r -> assertThat(
          r.replaced()).contains("(pid " + victim + ") is gone"));
      assertThat(session.submit(Job.of(SquareTask.class).partitions(3)).join().results())
          .extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L);
    }
  }

  /** The pids of the first n worker processes that took a node-cache lease (their bootstrap began). */
  private static Set<Long> awaitLeaseHolders(WatchService watch, Path leases, int n) throws Exception {
    while (true) {
      Set<Long> pids = new TreeSet<>();
      try (Stream<Path> files = Files.list(leases)) {
        files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".lease"))
            .forEach(f -> pids.add(Long.parseLong(f.substring(0, f.indexOf('-')))));
      }
      if (pids.size() >= n) {
        return pids;
      }
      WatchKey key = watch.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(key).as("workers never began to bootstrap").isNotNull();
      key.pollEvents();
      key.reset();
    }
  }

  // Item 9: a task out of memory left its worker alive in that state, and the job hung.
  @Test
  void taskThatRunsOutOfMemory_killsItsWorker_isRetriedElsewhere_andFailsTheJobNamingOutOfMemoryError() {
    try (GenevaSession session = session(LocalCluster.workers(2).jvmOptions(List.of("-Xmx64m"))).open()) {
      List<Long> pids = session.warmup().stream().map(WorkerReport::pid).toList();
      JobHandle<Integer> handle = session.submit(Job.of(OutOfMemoryTask.class).maxAttempts(2));

      assertThatThrownBy(() -> handle.result().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(JobException.class)
          .hasMessageContaining("partition 0 of job " + handle.id())
          .hasMessageContaining("failed 2 times; the last attempt, on worker local-2, was lost")
          .hasMessageContaining("it ran out of memory")
          .hasMessageContaining("java.lang.OutOfMemoryError")
          .hasMessageContaining("-Xmx");
      for (long pid : pids) { // both tried it, both died
        assertThat(exit(pid)).succeedsWithin(WAIT);
      }
      // The lost workers are replaced: the session still runs jobs.
      assertThat(session.submit(Job.of(SquareTask.class).partitions(2)).join().results()).hasSize(2);
    }
  }

  // Item 10: a task that never returns is abandoned after the job's task timeout, its worker
  // stopped, and the partition retried on another worker.
  @Test
  void attemptPastTheTaskTimeout_stopsItsWorker_andThePartitionIsRetriedOnAnother() throws Exception {
    try (GenevaSession session = session(LocalCluster.workers(2)).open()) {
      List<Long> pids = session.warmup().stream().map(WorkerReport::pid).toList();
      JobHandle<Integer> handle = session.submit(Job.of(StuckTask.class).partitions(2)
          .parameter("stuckAttempts", "1").taskTimeout(Duration.ofSeconds(3)));

      JobResult<Integer> r = handle.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(r.results()).containsExactly(0, 10);
      assertThat(r.partitions()).extracting(PartitionReport::attempts).containsExactly(2, 1);
      // The stuck one was stopped (SIGKILL: it exits a moment later), the other goes on.
      CompletableFuture.anyOf(pids.stream().map(LocalClusterReliabilityTest::exit).toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(pids).filteredOn(LocalClusterReliabilityTest::alive).hasSize(1);
    }
  }

  @Test
  void neverReturningTaskOnARetainedWorker_failsItsJobNamingTheTimeout_andTheNextRunDoesNotHang()
      throws Exception {
    LocalCluster retained = LocalCluster.workers(1).exitPolicy(ExitPolicy.RETAIN);
    try (GenevaSession session = session(retained).open()) {
      session.warmup();
      JobHandle<Integer> stuck = session.submit(Job.of(StuckTask.class).maxAttempts(1).taskTimeout(Duration.ofSeconds(2)));
      assertThatThrownBy(() -> stuck.result().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(JobException.class)
          .hasMessageContaining("timed out: attempt 1 of partition 0 did not finish within PT2S")
          .hasMessageContaining("worker local-1 was stopped")
          .hasCauseInstanceOf(TaskTimeoutException.class);
    }
    try (GenevaSession next = session(retained).open()) {
      JobHandle<SquareTask.Square> handle = next.submit(Job.of(SquareTask.class).partitions(2));
      assertThat(handle.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).results())
          .extracting(SquareTask.Square::square).containsExactly(0L, 1L);
    }
  }

  // Item 10 as the issue saw it: the first run was ended by SIGINT (its session closed, the attempt
  // cancelled) while its task ignored the interruption on a retained worker.
  @Test
  void cancelledTaskThatIgnoresInterruption_onARetainedWorker_doesNotMakeTheNextRunWaitBehindIt()
      throws Exception {
    LocalCluster retained = LocalCluster.workers(1).exitPolicy(ExitPolicy.RETAIN);
    Path signals = Files.createDirectories(home.resolve("signals"));
    long wedged;
    try (GenevaSession session = session(retained).open();
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      signals.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      session.submit(Job.of(StuckTask.class).parameter("dir", signals.toString()));
      wedged = awaitStarted(watch, signals);
    } // closing cancels the job; the task goes on ignoring it

    try (GenevaSession next = session(retained).open()) {
      JobHandle<SquareTask.Square> handle = next.submit(Job.of(SquareTask.class).partitions(2));
      assertThat(handle.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).results())
          .extracting(SquareTask.Square::square).containsExactly(0L, 1L);
    }
    assertThat(ProcessHandle.of(wedged).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive())
        .orElse(false)).as("the wedged worker exits").isFalse();
  }

  private static long awaitStarted(WatchService watch, Path dir) throws Exception {
    while (true) {
      try (Stream<Path> files = Files.list(dir)) {
        var started = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("started-\\d+")).findFirst();
        if (started.isPresent()) {
          return Long.parseLong(started.get().substring("started-".length()));
        }
      }
      WatchKey key = watch.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(key).as("the stuck task never started").isNotNull();
      key.pollEvents();
      key.reset();
    }
  }

  // Item 11: two sessions on one home and cluster name stopped each other's workers.
  @Test
  void twoSessionsWithTheSameSettings_shareTheWorkers_andNeitherStopsThemUnderTheOther() throws Exception {
    LocalCluster cluster = LocalCluster.workers(2);
    GenevaSession b;
    List<Long> pids;
    try (GenevaSession a = session(cluster).open()) {
      pids = pids(a.warmup());
      b = session(cluster).open();
      assertThat(pids(b.warmup())).containsExactlyElementsOf(pids);
      runBothAtOnce(a, b);
    } // a's DELETE policy must leave the workers to b, their other live user
    try (b) {
      assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
      assertThat(b.submit(Job.of(SquareTask.class).partitions(4)).join().results()).hasSize(4);
    }
    for (long pid : pids) { // b was the last user: the policy applies
      assertThat(ProcessHandle.of(pid).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive()).orElse(false))
          .isFalse();
    }
  }

  @Test
  void twoSessionsWithDifferentSettings_getWorkersOfTheirOwn_andNeitherStopsTheOthers() throws Exception {
    List<Long> pidsA;
    List<Long> pidsB;
    try (GenevaSession a = session(LocalCluster.workers(2)).open()) {
      pidsA = pids(a.warmup());
      try (GenevaSession b = session(LocalCluster.workers(2).jvmOptions(List.of("-Xmx200m"))).open()) {
        pidsB = pids(b.warmup());
        assertThat(pidsB).doesNotContainAnyElementsOf(pidsA);
        assertThat(pidsA).allSatisfy(pid -> assertThat(alive(pid)).as("a's worker %d", pid).isTrue());
        runBothAtOnce(a, b);
        assertThat(pids(a.warmup())).containsExactlyElementsOf(pidsA);
      }
      assertThat(pidsA).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
      assertThat(a.submit(Job.of(SquareTask.class).partitions(2)).join().results()).hasSize(2);
    }
  }

  // Item 11 as two concurrent `geneva run`s are: the other session lives in a process of its own.
  @Test
  void aConcurrentSessionInAnotherProcess_keepsItsWorker_whileThisOneRunsOnItsOwn() throws Exception {
    String classpath = String.join(File.pathSeparator,
        LocalClusterTest.classpath().stream().map(Path::toString).toList());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process other = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        SessionHolder.class.getName(), home.toString(), classpath, "-")
        .redirectError(home.resolve("other-session.log").toFile()).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      String ready = line(out);
      assertThat(ready).as("the other session: %s", ready).startsWith("ready ");
      long otherWorker = Long.parseLong(ready.substring("ready ".length()));
      try (GenevaSession mine = session(LocalCluster.workers(1)).open()) {
        long myWorker = mine.warmup().get(0).pid();

        assertThat(myWorker).isNotEqualTo(otherWorker);
        assertThat(alive(otherWorker)).as("the other session's worker").isTrue();
        JobHandle<SquareTask.Square> mineJob = mine.submit(Job.of(SquareTask.class).partitions(3));
        other.getOutputStream().write('\n');
        other.getOutputStream().flush();
        assertThat(line(out)).isEqualTo("done 0,1,4");
        assertThat(mineJob.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).results())
            .extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L);
      }
      assertThat(other.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue()).isZero();
    } finally {
      other.destroyForcibly();
    }
  }

  private static String line(BufferedReader in) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return String.valueOf(in.readLine());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Submits a job from each session, both running at the same time, and checks both complete. */
  private static void runBothAtOnce(GenevaSession a, GenevaSession b) throws Exception {
    JobHandle<SquareTask.Square> ja = a.submit(Job.of(SquareTask.class).partitions(6));
    JobHandle<SquareTask.Square> jb = b.submit(Job.of(SquareTask.class).partitions(6));
    assertThat(ja.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).results()).hasSize(6);
    assertThat(jb.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).results()).hasSize(6);
  }

  private static List<Long> pids(List<WorkerReport> reports) {
    return new ArrayList<>(reports.stream().map(WorkerReport::pid).toList());
  }

  /** Completes when the process has exited (at once if it is gone). */
  private static CompletableFuture<ProcessHandle> exit(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::onExit).orElseGet(() -> CompletableFuture.completedFuture(null));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
