package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ExitPolicy;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.MutableClock;
import io.geneva.WorkerReport;
import io.geneva.internal.worker.TrainingClaim;
import io.geneva.testfixture.SquareTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime class data of generic workers: the plan on real files with a fake training, and one
 * real training and use by worker JVMs on this JDK (Geneva's runtime as a jar built from
 * target/classes, since the JDK archives classes of jars only).
 */
class RuntimeClassDataTest {
  @TempDir Path home;
  @TempDir Path runtime;
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-06T03:00:00Z"));
  private final Set<Long> alive = new HashSet<>();
  private final TrainingClaim claims = new TrainingClaim(clock, (pid, started) -> alive.contains(pid));
  private WorkerRuntimeJars workerRuntime;

  @BeforeEach
  void runtimeAsJars() throws IOException {
    workerRuntime = WorkerRuntimeJars.install(runtime);
  }

  @AfterEach
  void restore() {
    workerRuntime.restore();
  }

  private Optional<ClassDataCache.Jdk> jdk() {
    return ClassDataCache.Jdk.of(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  private Path cache() throws IOException {
    return Files.createDirectories(home.resolve("cache"));
  }

  private ClassDataCache.Plan plan() throws IOException {
    return RuntimeClassData.plan(cache(), jdk(), workerRuntime.jars(), claims);
  }

  /** What a training worker leaves when it exits: its archive, and its claim naming it. */
  private Path finishTraining(byte[] archive) throws IOException {
    Path dir = RuntimeClassData.directory(cache(), jdk().orElseThrow(), workerRuntime.jars());
    Files.write(dir.resolve(RuntimeClassData.TRAINED), archive);
    TrainingClaim.own(dir.resolve(RuntimeClassData.CLAIM), 4242, 1);
    return dir;
  }

  @Test
  void noArchive_theFirstWorkerTrains_andAConcurrentLaunchDoesNot() throws IOException {
    ClassDataCache.Plan first = plan();
    assertThat(first.line()).isEqualTo("no runtime class data yet; the first worker trains it");
    assertThat(first.jvmOptions()).isEmpty();
    assertThat(first.trainerOptions()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="))
        .anyMatch(o -> o.startsWith("-D" + TrainingClaim.OWNER_PROPERTY + "="));

    ClassDataCache.Plan second = plan();
    assertThat(second.trainerOptions()).isEmpty();
    assertThat(second.line()).contains("another worker is training it");
  }

  @Test
  void trainingWhileItsWorkerRuns_isNotUsed_andOnceItExited_isInstalledAndUsed() throws IOException {
    plan();
    Path dir = finishTraining("an archive".getBytes());
    alive.add(4242L);

    assertThat(plan().jvmOptions()).isEmpty(); // still being written as the worker exits

    alive.remove(4242L);
    ClassDataCache.Plan used = plan();

    assertThat(used.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + dir.resolve(RuntimeClassData.ARCHIVE));
    assertThat(used.trainerOptions()).isEmpty();
    assertThat(used.line()).startsWith("runtime class data ");
    assertThat(dir.resolve(RuntimeClassData.TRAINED)).doesNotExist();
    assertThat(dir.resolve(RuntimeClassData.CLAIM)).doesNotExist();
    assertThat(Files.getPosixFilePermissions(dir.resolve(RuntimeClassData.ARCHIVE)))
        .isEqualTo(PosixFilePermissions.fromString("r--------"));
    assertThat(plan().jvmOptions()).isEqualTo(used.jvmOptions()); // a stat, no training
  }

  @Test
  void archiveChangedInPlace_isDetected_deleted_andTrainedAgain() throws IOException {
    plan();
    Path dir = finishTraining("the archive as trained".getBytes());
    assertThat(plan().jvmOptions()).isNotEmpty();
    Path archive = dir.resolve(RuntimeClassData.ARCHIVE);
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(archive, "the archive rewritten!");

    ClassDataCache.Plan after = plan();

    assertThat(after.jvmOptions()).isEmpty();
    assertThat(after.line()).contains("does not have the digest it was stored with; deleted it")
        .endsWith("the first worker trains it");
    assertThat(archive).doesNotExist();
  }

  @Test
  void archiveTouchedButUnchanged_isRehashed_andStillUsed() throws IOException {
    plan();
    Path dir = finishTraining("the archive as trained".getBytes());
    plan();
    Path archive = dir.resolve(RuntimeClassData.ARCHIVE);
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("r--------")); // moves its ctime

    assertThat(plan().jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void cacheOtherUsersCanWrite_isNeverUsed() throws IOException {
    plan();
    finishTraining("an archive".getBytes());
    Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwxrwxrwx"));

    ClassDataCache.Plan p = plan();

    assertThat(p.jvmOptions()).isEmpty();
    assertThat(p.trainerOptions()).isEmpty();
    assertThat(p.line()).contains("is writable by other users");
  }

  @Test
  void runtimeOfClassDirectories_getsNone() throws IOException {
    ClassDataCache.Plan p = RuntimeClassData.plan(cache(), jdk(), List.of(Path.of("target/classes").toAbsolutePath()
        .toString()), claims);

    assertThat(p.jvmOptions()).isEmpty();
    assertThat(p.trainerOptions()).isEmpty();
    assertThat(p.line()).contains("not all jars");
  }

  @Test
  void realWorkers_trainTheArchiveAsTheyStop_andTheNextSessionsWorkersStartWithIt() {
    try (GenevaSession session = open(LocalCluster.workers(2))) {
      assertThat(session.warmup()).extracting(WorkerReport::classData).containsExactlyInAnyOrder(
          "no runtime class data yet; the first worker trains it", "no runtime class data yet; local-1 trains it");
      squaresCorrectly(session);
    }
    try (GenevaSession session = open(LocalCluster.workers(2))) {
      assertThat(session.warmup()).hasSize(2)
          .allSatisfy(r -> assertThat(r.classData()).matches("runtime class data [0-9a-f]{12}"));
      squaresCorrectly(session);
    }
  }

  @Test
  void retainedWorkers_stayInUse_whileTheirTrainingIsUnfinished() {
    LocalCluster retained = LocalCluster.workers(1).exitPolicy(ExitPolicy.RETAIN);
    long pid;
    try (GenevaSession session = open(retained)) {
      WorkerReport r = session.warmup().get(0);
      assertThat(r.classData()).isEqualTo("no runtime class data yet; the first worker trains it");
      pid = r.pid();
    }
    try (GenevaSession session = open(retained)) {
      // The plan now says another worker trains it; the launch is the same, so the warm worker is reused.
      assertThat(session.warmup()).singleElement().satisfies(r -> {
        assertThat(r.pid()).isEqualTo(pid);
        assertThat(r.alreadyReady()).isTrue();
      });
      squaresCorrectly(session);
    } finally {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.destroy();
        h.onExit().join();
      });
    }
  }

  private GenevaSession open(LocalCluster cluster) {
    return Geneva.connect().home(home).classpath(LocalClusterTest.classpath()).projectDirectory(home)
        .cluster(cluster).open();
  }

  private static void squaresCorrectly(GenevaSession session) {
    JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(3)).join();
    assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L);
  }
}
