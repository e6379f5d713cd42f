package io.geneva;

import static io.geneva.Sandbox.bySource;
import static io.geneva.Sandbox.bySourcePrefix;
import static io.geneva.Sandbox.uploaded;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup pipeline's targets, checked functionally (timing is the benchmark's job). */
class SessionPipelineTest {
  @TempDir Path tempDir;

  private Sandbox sandbox;
  private Path classes;
  private Path resources;
  private Path dependency;
  private List<String> classFiles;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(tempDir);
    classes = sandbox.project.resolve("target/classes");
    classFiles = FixtureFiles.classTree(classes, 300, 42);
    resources = sandbox.project.resolve("src/main/resources");
    FixtureFiles.write(resources.resolve("app.properties"), "greeting=hello\n");
    FixtureFiles.write(resources.resolve("META-INF/services/com.acme.Plugin"), "com.acme.impl.PluginImpl\n");
    dependency = sandbox.dependencyJar("lib", 7);
  }

  private Path[] classpath() {
    return new Path[] {classes, resources, dependency};
  }

  private static long distinctDigests(StartupReport report) {
    return report.packages().stream().map(PackageReport::digest).distinct().count();
  }

  private long manifestSize(StartupReport report) throws IOException {
    return Files.size(FixtureFiles.fileOf(report.manifestUri()));
  }

  @Test
  void coldRun_uploadsEveryPackage_andReportsScanFingerprintPackPublish() throws IOException {
    StartupReport report = sandbox.run(classpath());

    assertThat(report.phases()).containsKeys("scan", "fingerprint", "pack", "publish");
    assertThat(report.files()).isEqualTo(300 + 2 + 1);
    assertThat(report.bytesHashed()).isEqualTo(report.bytesScanned()).isPositive();
    assertThat(report.bytesPacked()).isPositive();
    assertThat(bySourcePrefix(report, "classes#")).as("a few hundred files make several shards").hasSizeGreaterThan(1);
    assertThat(report.packages()).allSatisfy(p -> {
      assertThat(p.uploaded()).as("%s uploaded", p.source()).isTrue();
      assertThat(p.reason()).isEqualTo("new");
    });
    assertThat((long) report.packagesUploaded()).isEqualTo(distinctDigests(report));
    assertThat(report.packagesReused()).isZero();

    long packageBytes = 0;
    for (PackageReport p : report.packages()) {
      Path stored = sandbox.stored(p);
      assertThat(stored).exists();
      assertThat(Files.size(stored)).isEqualTo(p.size());
      assertThat(FixtureFiles.sha256(stored)).as("stored %s matches its digest", p.source()).isEqualTo(p.digest());
      packageBytes += p.size();
    }
    assertThat(report.bytesUploaded()).isEqualTo(packageBytes + manifestSize(report));
    assertThat(FixtureFiles.fileOf(report.manifestUri())).exists();
    assertThat(report.manifestUri()).endsWith("manifests/" + report.manifestDigest() + ".json");
  }

  @Test
  void coldRun_emitsStartedAndFinishedForEveryStartupPhase() {
    List<ProgressEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

    Sandbox.run(sandbox.builder(classpath()).progressListener(events::add));

    for (ProgressEvent.Phase phase : java.util.EnumSet.range(ProgressEvent.Phase.SCAN, ProgressEvent.Phase.MANIFEST)) {
      List<ProgressEvent.Type> types =
          events.stream().filter(e -> e.phase() == phase).map(ProgressEvent::type).toList();
      assertThat(types).as("events of %s", phase).startsWith(ProgressEvent.Type.STARTED).endsWith(ProgressEvent.Type.FINISHED);
    }
    List<ProgressEvent.Phase> started =
        events.stream().filter(e -> e.type() == ProgressEvent.Type.STARTED).map(ProgressEvent::phase).toList();
    assertThat(started.subList(0, 3))
        .containsExactly(ProgressEvent.Phase.SCAN, ProgressEvent.Phase.FINGERPRINT, ProgressEvent.Phase.PACK);
  }

  @Test
  void coldFingerprint_reportsTheScannedBytesAsItsTotal_neverZero() {
    List<ProgressEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

    StartupReport report = Sandbox.run(sandbox.builder(classpath()).progressListener(events::add));

    List<ProgressEvent> hashing = events.stream()
        .filter(e -> e.phase() == ProgressEvent.Phase.FINGERPRINT && e.type() == ProgressEvent.Type.PROGRESS)
        .toList();
    assertThat(hashing).as("the dependency jar is hashed cold").isNotEmpty();
    assertThat(hashing).allSatisfy(e -> {
      assertThat(e.total()).isEqualTo(report.bytesScanned()).isPositive();
      assertThat(e.done()).isLessThanOrEqualTo(e.total());
    });
  }

  @Test
  void unchangedClasspath_hashesNothing_uploadsNothing_andKeepsTheManifestDigest() {
    StartupReport cold = sandbox.run(classpath());

    StartupReport warm = sandbox.run(classpath());

    assertThat(warm.bytesHashed()).isZero();
    assertThat(warm.filesHashed()).isZero();
    assertThat(warm.bytesPacked()).isZero();
    assertThat(warm.bytesUploaded()).isZero();
    assertThat(warm.packagesUploaded()).isZero();
    assertThat((long) warm.packagesReused()).isEqualTo(distinctDigests(cold));
    assertThat(warm.manifestDigest()).isEqualTo(cold.manifestDigest());
    assertThat(warm.packages()).allSatisfy(p -> assertThat(p.reason()).isEqualTo("unchanged"));
    assertThat(warm.packages()).extracting(PackageReport::digest)
        .containsExactlyElementsOf(cold.packages().stream().map(PackageReport::digest).toList());
    assertThat(warm.warnings()).isEmpty();
  }

  @Test
  void oneChangedClassFile_uploadsExactlyOnePackage_whoseReasonNamesTheFile() throws IOException {
    StartupReport cold = sandbox.run(classpath());
    String changed = classFiles.get(123);
    Path file = classes.resolve(changed);
    byte[] content = Files.readAllBytes(file);
    content[content.length / 2] ^= 0x5a;
    FixtureFiles.write(file, content, FixtureFiles.PAST.plusSeconds(3600));

    StartupReport next = sandbox.run(classpath());

    assertThat(next.packagesUploaded()).isEqualTo(1);
    assertThat(uploaded(next)).singleElement().satisfies(p -> {
      assertThat(p.source()).startsWith("classes#");
      assertThat(p.reason()).contains(changed);
    });
    assertThat(next.filesHashed()).isEqualTo(1);
    assertThat(next.bytesHashed()).isEqualTo(content.length);
    PackageReport sent = uploaded(next).get(0);
    assertThat(next.bytesUploaded()).isEqualTo(sent.size() + manifestSize(next));
    assertThat(next.manifestDigest()).isNotEqualTo(cold.manifestDigest());
    assertThat(next.packages()).filteredOn(p -> !p.uploaded())
        .allSatisfy(p -> assertThat(p.reason()).isEqualTo("unchanged"));
  }

  @Test
  void addedFile_rebuildsOneShard_whoseReasonNamesIt() {
    sandbox.run(classpath());
    FixtureFiles.write(classes.resolve("com/acme/p03/Added.class"), "brand new class");

    StartupReport next = sandbox.run(classpath());

    assertThat(next.filesHashed()).isEqualTo(1);
    assertThat(uploaded(next)).isNotEmpty().allSatisfy(p -> assertThat(p.source()).startsWith("classes#"));
    assertThat(uploaded(next)).anySatisfy(p -> assertThat(p.reason()).contains("added com/acme/p03/Added.class"));
  }

  @Test
  void removedFile_rebuildsItsShard_andChangesTheManifest() throws IOException {
    StartupReport cold = sandbox.run(classpath());
    Files.delete(classes.resolve(classFiles.get(200)));

    StartupReport next = sandbox.run(classpath());

    assertThat(next.filesHashed()).isZero();
    assertThat(next.files()).isEqualTo(cold.files() - 1);
    assertThat(next.packagesUploaded()).isPositive();
    assertThat(uploaded(next)).allSatisfy(p -> assertThat(p.source()).startsWith("classes#"));
    assertThat(next.manifestDigest()).isNotEqualTo(cold.manifestDigest());
  }

  @Test
  void changedDependencyJar_isSentAgainWhole_withReasonChangedContent() {
    sandbox.run(classpath());
    FixtureFiles.jar(dependency, java.util.Map.of("org/example/lib/data.bin", FixtureFiles.randomBytes(99, 3000)));
    FixtureFiles.touch(dependency, FixtureFiles.PAST.plusSeconds(60));

    StartupReport next = sandbox.run(classpath());

    assertThat(uploaded(next)).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo("lib.jar");
      assertThat(p.reason()).isEqualTo("changed content");
      assertThat(sandbox.stored(p)).hasBinaryContent(FixtureFiles.read(dependency));
    });
  }

  @Test
  void largeWorkspaceJarThatChanged_getsAdviceToShipTheClassesDirectoryInstead() {
    Path appJar = sandbox.project.resolve("target/app.jar");
    FixtureFiles.jar(appJar, java.util.Map.of("app/blob.bin", FixtureFiles.randomBytes(1, 1_200_000)));
    sandbox.run(appJar);
    FixtureFiles.jar(appJar, java.util.Map.of("app/blob.bin", FixtureFiles.randomBytes(2, 1_200_000)));
    FixtureFiles.touch(appJar, FixtureFiles.PAST.plusSeconds(60));

    StartupReport next = sandbox.run(appJar);

    assertThat(next.advice()).anySatisfy(a -> assertThat(a).contains("app.jar").contains("classes directory"));
  }

  @Test
  void sameContent_atAnotherPath_withOtherMtimes_intoAnotherStoreWithFreshHome_givesTheSameManifestDigest()
      throws IOException {
    StartupReport original = sandbox.run(classpath());

    Sandbox elsewhere = new Sandbox(tempDir.resolve("elsewhere"));
    copyTree(sandbox.project, elsewhere.project);
    Path otherJar = elsewhere.root.resolve("cache/lib-copy.jar");
    Files.createDirectories(otherJar.getParent());
    Files.copy(dependency, otherJar);
    FixtureFiles.touchAll(elsewhere.root, Instant.parse("2024-03-03T03:03:03Z"));

    StartupReport copy =
        elsewhere.run(
            elsewhere.project.resolve("target/classes"), elsewhere.project.resolve("src/main/resources"), otherJar);

    assertThat(copy.manifestDigest()).isEqualTo(original.manifestDigest());
    assertThat(FixtureFiles.read(FixtureFiles.fileOf(copy.manifestUri())))
        .isEqualTo(FixtureFiles.read(FixtureFiles.fileOf(original.manifestUri())));
    assertThat(copy.packagesUploaded()).as("a fresh store gets everything").isEqualTo(original.packagesUploaded());
  }

  @Test
  void fileThatChangesEveryRun_nextToLargeDataFile_soonResendsLessThanOneMebibyte_andAdviceNamesIt() {
    Path notebooks = sandbox.project.resolve("notebooks");
    FixtureFiles.write(notebooks.resolve("data.bin"), FixtureFiles.randomBytes(3, 3 << 20));
    FixtureFiles.write(notebooks.resolve("helpers.py"), "def helper():\n    return 1\n");
    Path notebook = notebooks.resolve("analysis.ipynb");
    writeNotebook(notebook, 0);
    sandbox.run(notebooks);

    StartupReport last = null;
    for (int run = 1; run <= 4; run++) {
      writeNotebook(notebook, run);
      last = sandbox.run(notebooks);
      assertThat(last.bytesHashed()).as("run %d re-reads only the notebook", run).isLessThan(1 << 20);
    }

    assertThat(last.bytesUploaded()).isLessThan(1 << 20);
    assertThat(last.packagesUploaded()).isEqualTo(1);
    assertThat(uploaded(last)).singleElement().satisfies(p -> assertThat(p.reason()).contains("analysis.ipynb"));
    assertThat(last.advice()).anySatisfy(a -> assertThat(a).contains("analysis.ipynb"));
    assertThat(bySource(last, "notebooks#volatile")).as("the notebook gets a shard of its own").isPresent();
  }

  @Test
  void fileThatChangesEveryRun_sharingAShardWithThreeMebibytes_isIsolatedAfterAFewRuns() {
    // Fewer files than ShardPlanner.MIN_FILES and under MAX_BYTES: one shard, whatever the paths hash to.
    Path workspace = sandbox.project.resolve("workspace");
    for (int i = 0; i < 9; i++) {
      FixtureFiles.write(workspace.resolve(String.format("data/part-%03d.bin", i)), FixtureFiles.randomBytes(100 + i, 150 * 1024));
    }
    Path notebook = workspace.resolve("notebook.ipynb");
    writeNotebook(notebook, 0);
    StartupReport cold = sandbox.run(workspace);
    assertThat(cold.packages()).as("precondition: the notebook shares one shard with the data").hasSize(1);

    writeNotebook(notebook, 1);
    StartupReport first = sandbox.run(workspace);
    assertThat(first.bytesUploaded()).as("precondition: before Geneva learns, a change re-sends the data").isGreaterThan(1L << 20);

    StartupReport last = null;
    for (int run = 2; run <= 5; run++) {
      writeNotebook(notebook, run);
      last = sandbox.run(workspace);
    }

    assertThat(last.bytesUploaded()).isLessThan(1 << 20);
    assertThat(uploaded(last)).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo("workspace#volatile");
      assertThat(p.reason()).contains("notebook.ipynb");
    });
    assertThat(last.advice()).anySatisfy(a -> assertThat(a).contains("notebook.ipynb"));
  }

  private static void writeNotebook(Path notebook, int run) {
    StringBuilder json = new StringBuilder("{\"cells\": [");
    for (int i = 0; i < 200; i++) {
      json.append("{\"source\": \"print(").append(i * (run + 1)).append(")\"},");
    }
    json.append("{\"run\": ").append(run).append("}]}");
    FixtureFiles.write(notebook, json.toString().getBytes(StandardCharsets.UTF_8), FixtureFiles.PAST.plusSeconds(60L * run));
  }

  @Test
  void sessionClose_doesNotCloseAStoragePassedToTheBuilder() {
    CountingStorage storage = new CountingStorage(io.geneva.internal.storage.FileStorage.open(sandbox.store));

    GenevaSession session =
        Geneva.connect()
            .storage(storage)
            .home(sandbox.home)
            .projectDirectory(sandbox.project)
            .classpath(List.of(classes))
            .clock(sandbox.clock)
            .open();
    try {
      assertThat(session.manifestUri().toString()).startsWith(sandbox.store.toUri().toString());
    } finally {
      session.close();
      session.close();
    }

    assertThat(storage.closes()).isZero();
  }

  @Test
  void embeddedDefault_storesUnderTheHome() {
    StartupReport report =
        Sandbox.run(
            Geneva.connect()
                .home(sandbox.home)
                .projectDirectory(sandbox.project)
                .classpath(List.of(resources))
                .clock(sandbox.clock));

    assertThat(FixtureFiles.fileOf(report.manifestUri())).startsWith(sandbox.home).exists();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
