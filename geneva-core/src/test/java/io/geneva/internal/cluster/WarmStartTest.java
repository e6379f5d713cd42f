package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.WarmStart;
import io.geneva.WorkerReport;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.spi.ManifestUri;
import io.geneva.testfixture.SquareTask;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm-start workers with a class-data cache: real worker JVMs on this JDK (a dynamic CDS archive on
 * JDK 17, an AOT cache on 24+), real files. The CDS archive covers jars only, so the workers get
 * Geneva's runtime as a jar built here from target/classes.
 */
class WarmStartTest {
  @TempDir Path home;
  @TempDir Path runtime;
  private WorkerRuntimeJars workerRuntime;

  @BeforeEach
  void runtimeAsJars() throws IOException {
    workerRuntime = WorkerRuntimeJars.install(runtime);
  }

  @AfterEach
  void restore() {
    workerRuntime.restore();
  }

  private GenevaSession open(WarmStart warmStart) {
    return Geneva.connect().home(home).classpath(LocalClusterTest.classpath()).projectDirectory(home)
        .cluster(LocalCluster.workers(1).warmStart(warmStart)).open();
  }

  private static void squaresCorrectly(GenevaSession session) {
    JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(3)).join();
    assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L);
  }

  private Path javaHome() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The storage directory and manifest digest of a session. */
  private static ManifestUri manifest(GenevaSession session) {
    return ManifestUri.of(session.manifestUri());
  }

  /** Writes a stored class-data record for this JDK and runtime, naming an archive of these bytes. */
  private void storeClassData(ManifestUri m, byte[] recorded, byte[] stored) throws IOException {
    ClassDataCache.Jdk jdk = ClassDataCache.Jdk.of(javaHome()).orElseThrow();
    String key = jdk.key(m.digest(), ClassDataCache.runtimeFingerprint(
        List.of(System.getProperty(WorkerJvmClasspath.OVERRIDE).split(File.pathSeparator))));
    Path dir = Path.of(m.storageRoot()).resolve("classdata").resolve(m.digest());
    Files.createDirectories(dir);
    String sha = Sha256.of(recorded);
    String format = jdk.format().orElseThrow();
    Files.write(dir.resolve(sha + "." + format), stored);
    Properties p = jdk.toProperties();
    p.setProperty("format", format);
    p.setProperty("sha256", sha);
    p.setProperty("size", Integer.toString(recorded.length));
    try (OutputStream out = Files.newOutputStream(dir.resolve(key + ".properties"))) {
      p.store(out, null);
    }
  }

  @Test
  void cacheTrainedByTheFirstWorker_isStored_andUsedByALaterWorker() throws IOException {
    ManifestUri m;
    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      List<WorkerReport> reports = session.warmup();
      assertThat(reports).singleElement().satisfies(r -> assertThat(r.classData()).contains("the first worker trains it"));
      squaresCorrectly(session);
      m = manifest(session);
    }
    Path training;
    try (Stream<Path> dirs = Files.list(home.resolve("cache").resolve(ClassDataCache.TRAINING))) {
      training = dirs.findFirst().orElseThrow();
    }
    // The session started an assembler in the background; this one waits for its lock, or does the work.
    ClassDataAssembler.assemble(training, javaHome());
    Path stored = Path.of(m.storageRoot()).resolve("classdata").resolve(m.digest());
    try (Stream<Path> files = Files.list(stored)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".properties")).anyMatch(n -> n.matches("[0-9a-f]{64}\\.(aot|jsa)"));
    }

    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      assertThat(session.warmup()).singleElement().satisfies(r -> assertThat(r.classData()).startsWith("using class data"));
      JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(2)).join();
      assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L);
      assertThat(r.results()).allSatisfy(s -> assertThat(s.loader()).isEqualTo("app"));
    }
  }

  @Test
  void trainerThatCrashed_leavesAStaleClaim_andTheNextSessionTrainsAgain() throws IOException {
    Path training;
    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      WorkerReport trainer = session.warmup().get(0);
      assertThat(trainer.classData()).contains("the first worker trains it");
      try (Stream<Path> dirs = Files.list(home.resolve("cache").resolve(ClassDataCache.TRAINING))) {
        training = dirs.findFirst().orElseThrow();
      }
      // The training worker owns the claim: a second session now would not train.
      assertThat(io.geneva.internal.worker.StateFile.read(training.resolve(ClassDataCache.CLAIM)).getProperty("pid"))
          .isEqualTo(Long.toString(trainer.pid()));
      ProcessHandle worker = ProcessHandle.of(trainer.pid()).orElseThrow();
      worker.destroyForcibly(); // kill -9: no training output, and no one clears its claim
      worker.onExit().join();
    }
    assertThat(training.resolve(ClassDataCache.CLAIM)).exists();
    assertThat(training).isDirectoryNotContaining("glob:**/train.*");

    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      assertThat(session.warmup()).singleElement()
          .satisfies(r -> assertThat(r.classData()).contains("the first worker trains it"));
      squaresCorrectly(session);
    }
  }

  @Test
  void cacheOfAnotherJdk_isSkippedWithTheReason_andTheJobRunsWithoutIt() throws IOException {
    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      ManifestUri m = manifest(session);
      Path dir = Path.of(m.storageRoot()).resolve("classdata").resolve(m.digest());
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("00000000000000000000000000000000.properties"), "jdk.version=99.0.1+1\n"
          + "jdk.vendor=Elsewhere\nos.name=Linux\nos.arch=riscv64\nformat=aot\nsha256=" + "a".repeat(64) + "\nsize=1\n",
          StandardCharsets.ISO_8859_1);

      assertThat(session.warmup()).singleElement().satisfies(r -> assertThat(r.classData())
          .contains("skipped class data: stored only for JDK 99.0.1+1 Elsewhere, Linux riscv64"));
      squaresCorrectly(session);
    }
  }

  @Test
  void corruptCache_isDetectedReportedAndIgnored() throws IOException {
    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      storeClassData(manifest(session), "the archive that was trained".getBytes(StandardCharsets.UTF_8),
          "an archive with other bytes!".getBytes(StandardCharsets.UTF_8));

      assertThat(session.warmup()).singleElement().satisfies(r -> assertThat(r.classData())
          .startsWith("skipped class data ").contains("it is ignored"));
      squaresCorrectly(session);
    }
  }

  @Test
  void cacheInADirectoryOtherUsersCanWrite_isRefused() throws IOException {
    byte[] archive = "an archive".getBytes(StandardCharsets.UTF_8);
    Path cache = home.resolve("cache");
    Files.createDirectories(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (GenevaSession session = open(WarmStart.CLASS_DATA_CACHE)) {
      storeClassData(manifest(session), archive, archive);

      assertThat(session.warmup()).singleElement().satisfies(r -> assertThat(r.classData())
          .contains("is writable by other users").contains("never used from a directory another user can write to"));
      squaresCorrectly(session);
    }
  }

  @Test
  void classPathWithoutCache_loadsTheTaskFromTheApplicationClassLoader() {
    try (GenevaSession session = open(WarmStart.CLASS_PATH)) {
      JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(2)).join();
      assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L);
      assertThat(r.results()).allSatisfy(s -> assertThat(s.loader()).isEqualTo("app"));
    }
  }
}
