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
import io.geneva.ProvisioningException;
import io.geneva.TaskFailedException;
import io.geneva.TaskResources;
import io.geneva.WorkerReport;
import io.geneva.testfixture.BlockOnceTask;
import io.geneva.testfixture.BrokenTask;
import io.geneva.testfixture.CodeSourceTask;
import io.geneva.testfixture.FlakyTask;
import io.geneva.testfixture.SquareTask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real worker JVMs, real files, real kills. */
class LocalClusterTest {
  static final Path TEST_CLASSES = Path.of("target/test-classes").toAbsolutePath();

  @TempDir Path home;

  /** A few real jars beside the test classes, so there are several packages to fetch. */
  static List<Path> classpath() {
    List<Path> cp = new ArrayList<>();
    cp.add(TEST_CLASSES);
    for (Class<?> c : new Class<?>[] {org.assertj.core.api.Assertions.class, org.junit.jupiter.api.Test.class}) {
      cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().getPath()));
    }
    return cp;
  }

  GenevaSession.Builder session(LocalCluster cluster) {
    return Geneva.connect().home(home).classpath(classpath()).projectDirectory(home).cluster(cluster);
  }

  @AfterEach
  void stopRetainedWorkers() throws IOException {
    Path clusters = home.resolve("clusters/local");
    if (!Files.isDirectory(clusters)) {
      return;
    }
    try (Stream<Path> files = Files.walk(clusters)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("worker-\\d+\\.properties")).toList()) {
        workerProcess(f).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  static java.util.Optional<ProcessHandle> workerProcess(Path stateFile) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(stateFile)) {
      p.load(in);
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(p.getProperty("pid")));
  }

  @Test
  void taskClassComesFromTheManifestAndResultsComeInPartitionOrder() {
    try (GenevaSession session = session(LocalCluster.workers(2)).open()) {
      JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(5)).join();
      assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L, 9L, 16L);
      assertThat(r.results()).allSatisfy(s -> assertThat(s.loader()).startsWith("geneva-manifest-"));
      assertThat(r.partitions()).extracting(PartitionReport::index).containsExactly(0, 1, 2, 3, 4);
      assertThat(r.results()).extracting(SquareTask.Square::worker).containsAnyOf("local-1", "local-2");
    }
  }

  @Test
  void threeWorkersOnAColdCacheDownloadEachPackageOnceInTotal() {
    try (GenevaSession session = session(LocalCluster.workers(3)).open()) {
      List<WorkerReport> reports = session.warmup();
      int packages = session.manifest().classpath().size();
      assertThat(packages).isGreaterThanOrEqualTo(3);
      assertThat(reports).hasSize(3);
      assertThat(reports.stream().mapToInt(WorkerReport::packagesFetched).sum()).isEqualTo(packages);
      assertThat(reports).allSatisfy(r -> assertThat(r.packagesFetched() + r.packagesFromCache()).isEqualTo(packages));
      assertThat(home.resolve("cache")).isDirectory();
    }
  }

  @Test
  void failedAttemptIsRetriedAndTheJobSucceeds() {
    try (GenevaSession session = session(LocalCluster.workers(2)).open()) {
      JobResult<String> r = session.submit(Job.of(FlakyTask.class).partitions(4).parameter("fail", "1,3")).join();
      assertThat(r.results()).containsExactly("0@1", "1@2", "2@1", "3@2");
      assertThat(r.partitions()).extracting(PartitionReport::attempts).containsExactly(1, 2, 1, 2);
    }
  }

  @Test
  void jobThatCannotSucceedNamesPartitionWorkerAndTheTasksException() {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      assertThatThrownBy(() -> session.submit(Job.of(BrokenTask.class).maxAttempts(2)).join())
          .isInstanceOf(JobException.class)
          .hasMessageContaining("partition 0 of job")
          .hasMessageContaining("failed 2 times")
          .hasMessageContaining("on worker local-1")
          .hasMessageContaining("java.lang.UnsupportedOperationException: cannot do partition 0")
          .cause()
          .isInstanceOf(TaskFailedException.class)
          .satisfies(e -> assertThat(e.getStackTrace()).anySatisfy(
              f -> assertThat(f.getClassName()).isEqualTo(BrokenTask.class.getName())));
    }
  }

  @Test
  void jobSurvivesKillDashNineOfAWorkerMidTask(@TempDir Path signals) throws Exception {
    try (GenevaSession session = session(LocalCluster.workers(2)).open();
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      signals.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      var handle = session.submit(Job.of(BlockOnceTask.class).partitions(6)
          .parameter("block", "2").parameter("dir", signals.toString()));
      long pid = awaitStartedPid(watch, signals);
      ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
      assertThat(victim.destroyForcibly()).isTrue(); // SIGKILL
      JobResult<Integer> r = handle.join();
      assertThat(r.results()).containsExactly(0, 10, 20, 30, 40, 50);
      assertThat(r.partitions().get(2).attempts()).isEqualTo(2);
      assertThat(victim.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      // The lost worker is replaced for the next job.
      assertThat(session.warmup()).hasSize(2).allSatisfy(w -> assertThat(w.pid()).isNotEqualTo(pid));
    }
  }

  private static Path codeSource(Class<?> c) {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().getPath());
  }

  @Test
  void dependenciesInImage_areNotUploaded_andWorkersLoadThemFromTheImagesLibrary_byDigest() throws IOException {
    Path assertj = codeSource(org.assertj.core.api.Assertions.class);
    Path junit = codeSource(org.junit.jupiter.api.Test.class);
    Path lib = Files.createDirectories(home.resolve("image-lib"));
    Files.copy(assertj, lib.resolve(assertj.getFileName()));
    Files.copy(junit, lib.resolve("renamed-in-the-image.jar")); // found by its digest
    try (GenevaSession session = session(LocalCluster.workers(1)).dependenciesInImage(true)
        .environment(Map.of("GENEVA_IMAGE_LIB", lib.toString())).open()) {
      Manifest m = session.manifest();
      assertThat(m.dependenciesInImage()).isTrue();
      assertThat(m.classpath()).filteredOn(p -> p.provided() != null).extracting(Manifest.Package::provided)
          .containsExactly(assertj.getFileName().toString(), junit.getFileName().toString());
      assertThat(m.classpath()).filteredOn(p -> p.provided() == null).singleElement()
          .satisfies(p -> assertThat(p.kind()).isEqualTo(io.geneva.EntryKind.OTHER)); // the test classes
      for (Manifest.Package p : m.classpath()) {
        assertThat(Files.exists(home.resolve("storage").resolve(p.key())))
            .as("%s in storage", p.provided() != null ? p.provided() : p.key()).isEqualTo(p.provided() == null);
      }
      assertThat(session.startupReport().bytesUploaded()).isLessThan(Files.size(assertj));

      JobResult<String> r = session.submit(Job.of(CodeSourceTask.class).partitions(2)
          .parameter("class", "org.junit.jupiter.api.Test")).join();

      assertThat(r.results()).allSatisfy(s -> assertThat(s).endsWith("/image-lib/renamed-in-the-image.jar"));
    }
  }

  @Test
  void anImageLackingADependency_failsTheJobBeforeAnyTaskRuns_listingEveryMissingOrDifferentJar()
      throws IOException {
    Path assertj = codeSource(org.assertj.core.api.Assertions.class);
    Path junit = codeSource(org.junit.jupiter.api.Test.class);
    Path lib = Files.createDirectories(home.resolve("image-lib"));
    Files.write(lib.resolve(junit.getFileName()), new byte[] {1, 2, 3}); // another version of the jar
    try (GenevaSession session = session(LocalCluster.workers(1)).dependenciesInImage(true)
        .environment(Map.of("GENEVA_IMAGE_LIB", lib.toString())).open()) {

      assertThatThrownBy(() -> session.submit(Job.of(SquareTask.class).partitions(3)).join())
          .isInstanceOf(JobException.class)
          .hasMessageContaining("the worker image lacks 2 of the 2 dependency jars manifest " + session.manifestUri())
          .hasMessageContaining("expects in " + lib + " (GENEVA_IMAGE_LIB)")
          .hasMessageContaining(assertj.getFileName() + " (sha256 ")
          .hasMessageContaining(" is missing")
          .hasMessageContaining(junit.getFileName() + " (sha256 ")
          .hasMessageContaining("differs: the image's has sha256 ")
          .hasMessageContaining("geneva image-deps --manifest " + session.manifestUri());
    }
  }

  @Test
  void aJobAskingForGpus_isRefusedByTheLocalCluster_namingWhatItAsked() {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      assertThatThrownBy(() -> session.submit(Job.of(SquareTask.class).resources(new TaskResources(2, 1, 0))).join())
          .isInstanceOf(JobException.class)
          .hasMessageContaining("asks 2 CPUs, 1 GPU per task, but the local cluster \"default\" has no GPUs");
    }
  }

  @Test
  void closingTheSession_cancelsAJobStillRunning() throws Exception {
    Path signals = Files.createDirectories(home.resolve("signals-close"));
    JobHandle<Integer> handle;
    try (GenevaSession session = session(LocalCluster.workers(1)).open();
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      signals.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      handle = session.submit(Job.of(BlockOnceTask.class).partitions(1)
          .parameter("block", "0").parameter("dir", signals.toString()));
      awaitStartedPid(watch, signals);
    }

    assertThatThrownBy(handle::join).isInstanceOf(JobException.class).hasMessageEndingWith("was cancelled");
  }

  private static long awaitStartedPid(WatchService watch, Path dir) throws Exception {
    while (true) {
      try (Stream<Path> files = Files.list(dir)) {
        var started = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("started-\\d+")).findFirst();
        if (started.isPresent()) {
          return Long.parseLong(started.get().substring("started-".length()));
        }
      }
      WatchKey key = watch.poll(60, TimeUnit.SECONDS);
      assertThat(key).as("the blocking task never started").isNotNull();
      key.pollEvents();
      key.reset();
    }
  }

  @Test
  void taskClassMissingFromTheShippedClasspathNamesTheClassAndTheManifest() {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      assertThatThrownBy(() -> session.submit(Job.of("com.example.NotShipped").partitions(3)).join())
          .isInstanceOf(JobException.class)
          .hasMessageContaining("task class com.example.NotShipped is not in the shipped classpath")
          .hasMessageContaining(session.manifestUri().toString());
    }
  }

  @Test
  void classThatIsNotATaskIsRefused() {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      assertThatThrownBy(() -> session.submit(Job.of("io.geneva.testfixture.NotATask")).join())
          .isInstanceOf(JobException.class)
          .hasMessageContaining("io.geneva.testfixture.NotATask")
          .hasMessageContaining("does not implement io.geneva.Task");
    }
  }

  @Test
  void workerJvmThatCannotStartIsReportedWithItsOwnError() {
    try (GenevaSession session = session(LocalCluster.workers(1).jvmOptions(List.of("-XX:+NoSuchGenevaOption"))).open()) {
      assertThatThrownBy(session::warmup)
          .isInstanceOf(ProvisioningException.class)
          .hasMessageContaining("worker local-1 could not start")
          .hasMessageContaining("NoSuchGenevaOption");
    }
  }

  @Test
  void nonPositivePartitionsAreRefused() {
    assertThatThrownBy(() -> Job.of(SquareTask.class).partitions(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 partition, not 0");
    assertThatThrownBy(() -> Job.of(SquareTask.class).partitions(-3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manifestThatVanishedFromStorageIsReported() throws IOException {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      Files.delete(Path.of(session.manifestUri()));
      assertThatThrownBy(session::warmup)
          .isInstanceOf(ProvisioningException.class)
          .hasMessageContaining("manifest " + session.manifestUri() + " is not in storage")
          .hasMessageContaining("open a new session");
    }
  }

  @Test
  void packageThatVanishedFromStorageIsReported() throws IOException {
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      Manifest.Package victim = session.manifest().classpath().get(0);
      Files.delete(home.resolve("storage").resolve(victim.key()));
      assertThatThrownBy(session::warmup)
          .isInstanceOf(ProvisioningException.class)
          .hasMessageContaining("package " + victim.key())
          .hasMessageContaining("is not in storage");
    }
  }

  @Test
  void corruptPackageInTheNodeCacheIsFetchedAgainNeverUsed() throws IOException {
    Manifest.Package victim;
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      session.warmup();
      victim = session.manifest().classpath().get(0);
    }
    Path cached;
    try (Stream<Path> files = Files.walk(home.resolve("cache"))) {
      cached = files.filter(p -> p.getFileName().toString().equals(victim.sha256() + ".jar")).findFirst().orElseThrow();
    }
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-------"));
    byte[] bytes = Files.readAllBytes(cached);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(cached, bytes);
    try (GenevaSession session = session(LocalCluster.workers(1)).open()) {
      List<WorkerReport> reports = session.warmup();
      assertThat(reports.get(0).packagesFetched()).isEqualTo(1);
      assertThat(session.submit(Job.of(SquareTask.class).partitions(2)).join().results())
          .extracting(SquareTask.Square::square).containsExactly(0L, 1L);
    }
  }

  @Test
  void retainedWorkersAreReusedWarmAndAChangedSpecReplacesThem() {
    LocalCluster retained = LocalCluster.workers(2).exitPolicy(ExitPolicy.RETAIN);
    List<Long> firstPids;
    try (GenevaSession session = session(retained).open()) {
      firstPids = session.warmup().stream().map(WorkerReport::pid).toList();
    }
    assertThat(firstPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true));
    try (GenevaSession session = session(retained).open()) {
      List<WorkerReport> again = session.warmup();
      assertThat(again).extracting(WorkerReport::pid).containsExactlyElementsOf(firstPids);
      assertThat(again).allSatisfy(r -> {
        assertThat(r.alreadyReady()).isTrue();
        assertThat(r.packagesFetched()).isZero();
      });
    }
    try (GenevaSession session = session(retained.jvmOptions(List.of("-Xmx200m"))).open()) {
      List<WorkerReport> replaced = session.warmup();
      assertThat(replaced).extracting(WorkerReport::pid).doesNotContainAnyElementsOf(firstPids);
      assertThat(replaced).allSatisfy(r -> assertThat(r.packagesFetched()).isZero()); // the node cache is warm
    }
    assertThat(firstPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
  }

  @Test
  void deletePolicyStopsTheWorkersOnClose() {
    List<Long> pids;
    try (GenevaSession session = session(LocalCluster.workers(2)).open()) {
      pids = session.warmup().stream().map(WorkerReport::pid).toList();
    }
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> assertThat(p.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive()).isFalse());
    }
  }
}
