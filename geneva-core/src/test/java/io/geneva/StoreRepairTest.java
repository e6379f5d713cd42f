package io.geneva;

import static io.geneva.Sandbox.uploaded;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt, truncated or missing object in the store is detected by size or digest and replaced. */
class StoreRepairTest {
  @TempDir Path tempDir;

  private Sandbox sandbox;
  private Path classes;
  private Path jar;
  private StartupReport cold;

  @BeforeEach
  void coldRun() {
    sandbox = new Sandbox(tempDir);
    classes = sandbox.project.resolve("target/classes");
    FixtureFiles.classTree(classes, 150, 8);
    jar = sandbox.dependencyJar("lib", 9);
    cold = sandbox.run(classes, jar);
  }

  private PackageReport shard() {
    return cold.packages().get(0);
  }

  private PackageReport jarPackage() {
    return cold.packages().get(cold.packages().size() - 1);
  }

  private static void truncate(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }
  }

  private static void flipAByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x40;
    Files.write(file, b);
  }

  private void assertIntact(PackageReport p) {
    Path stored = sandbox.stored(p);
    assertThat(stored).exists();
    assertThat(FixtureFiles.sha256(stored)).as("stored %s", p.source()).isEqualTo(p.digest());
  }

  @Test
  void truncatedPackage_isDetectedAndReplaced_byASessionWithAFreshHome() throws IOException {
    truncate(sandbox.stored(shard()));
    Sandbox freshHome = new Sandbox(tempDir, sandbox.project, tempDir.resolve("home2"), sandbox.store);

    StartupReport report = freshHome.run(classes, jar);

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("replaced"));
    assertIntact(shard());
    assertThat(report.manifestDigest()).isEqualTo(cold.manifestDigest());
  }

  @Test
  void truncatedPackage_isDetectedAndReplaced_whenTheRecordIsRechecked_inTheSameHome() throws IOException {
    truncate(sandbox.stored(shard()));
    sandbox.clock.advance(Duration.ofSeconds(1));

    StartupReport report = Sandbox.run(sandbox.builder(classes, jar).storageRecheckAfter(Duration.ZERO));

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("replaced"));
    assertThat(report.bytesHashed()).as("the replacement is rebuilt from the index, not re-hashed").isZero();
    assertIntact(shard());
  }

  @Test
  void truncatedJar_isDetectedAndReplacedWithTheJarsBytes() throws IOException {
    truncate(sandbox.stored(jarPackage()));
    sandbox.clock.advance(Duration.ofSeconds(1));

    StartupReport report = Sandbox.run(sandbox.builder(classes, jar).storageRecheckAfter(Duration.ZERO));

    assertThat(uploaded(report)).extracting(PackageReport::source).containsExactly("lib.jar");
    assertThat(sandbox.stored(jarPackage())).hasBinaryContent(FixtureFiles.read(jar));
  }

  // Regression: ZERO once trusted a record confirmed at the instant the clock still showed.
  @Test
  void storageRecheckAfterZero_alwaysAsksStorage_evenWhenTheClockHasNotMoved() throws IOException {
    truncate(sandbox.stored(shard()));

    StartupReport report = Sandbox.run(sandbox.builder(classes, jar).storageRecheckAfter(Duration.ZERO));

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertIntact(shard());
  }

  @Test
  void packageWithAFlippedByte_keepingItsSize_isDetectedAndReplaced_withVerifyStorage() throws IOException {
    flipAByte(sandbox.stored(shard()));
    Sandbox freshHome = new Sandbox(tempDir, sandbox.project, tempDir.resolve("home2"), sandbox.store);

    StartupReport report = Sandbox.run(freshHome.builder(classes, jar).verifyStorage(true));

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("replaced"));
    assertIntact(shard());
  }

  // Regression: a corrupt package found by verification was replaced but not reported when the
  // local record of stored objects was trusted.
  @Test
  void packageWithAFlippedByte_isReplaced_andReported_withVerifyStorage_inTheSameHome() throws IOException {
    flipAByte(sandbox.stored(shard()));

    StartupReport report = Sandbox.run(sandbox.builder(classes, jar).verifyStorage(true));

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertIntact(shard());
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("replaced"));
  }

  @Test
  void packageWithAFlippedByte_isNotReadBack_withoutVerifyStorage() throws IOException {
    flipAByte(sandbox.stored(shard()));

    StartupReport report = sandbox.run(classes, jar);

    assertThat(report.packagesUploaded()).as("size matches: only verifyStorage reads content back").isZero();
  }

  @Test
  void deletedManifest_makesTheNextSessionRecheckStorage_andUploadMissingPackages() throws IOException {
    Files.delete(FixtureFiles.fileOf(cold.manifestUri()));
    Files.delete(sandbox.stored(shard()));

    StartupReport report = sandbox.run(classes, jar);

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertIntact(shard());
    assertThat(FixtureFiles.fileOf(report.manifestUri())).exists();
    assertThat(report.manifestDigest()).isEqualTo(cold.manifestDigest());
    assertThat(report.bytesHashed()).isZero();
  }

  // Issue 15 item 3: the record once vouched for a deleted package for an hour, and the session
  // reported success with the store incomplete.
  @Test
  void deletedPackage_withManifestPresent_isUploadedAgainByTheNextSession_andReported() throws IOException {
    Files.delete(sandbox.stored(shard()));

    StartupReport report = sandbox.run(classes, jar);

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertThat(uploaded(report)).extracting(PackageReport::reason).containsExactly("unchanged; storage did not have it");
    assertThat(report.warnings())
        .anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("no longer held").contains("uploaded again"));
    assertThat(report.bytesHashed()).isZero();
    assertIntact(shard());
  }

  @Test
  void deletedJar_withManifestPresent_isUploadedAgainWithTheJarsBytes() throws IOException {
    Files.delete(sandbox.stored(jarPackage()));

    StartupReport report = sandbox.run(classes, jar);

    assertThat(uploaded(report)).extracting(PackageReport::source).containsExactly("lib.jar");
    assertThat(sandbox.stored(jarPackage())).hasBinaryContent(FixtureFiles.read(jar));
  }

  @Test
  void truncatedPackage_isReplaced_evenWhileTheRecordIsFresh() throws IOException {
    truncate(sandbox.stored(shard()));

    StartupReport report = sandbox.run(classes, jar);

    assertThat(uploaded(report)).extracting(PackageReport::digest).containsExactly(shard().digest());
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(shard().digest()).contains("replaced"));
    assertIntact(shard());
  }

  // Issue 15 items 3 and 13: a manifest damaged in place, keeping its size, was trusted for an hour,
  // so the advice "package the classpath again to rewrite it" did not work.
  @Test
  void manifestCorruptedInPlace_keepingItsSize_isRewrittenByTheNextSession() throws IOException {
    Path manifest = FixtureFiles.fileOf(cold.manifestUri());
    byte[] good = Files.readAllBytes(manifest);
    flipAByte(manifest);
    assertThat(Files.size(manifest)).isEqualTo(good.length);

    StartupReport report = sandbox.run(classes, jar);

    assertThat(report.manifestDigest()).isEqualTo(cold.manifestDigest());
    assertThat(manifest).hasBinaryContent(good);
    assertThat(report.packagesUploaded()).isZero();
    assertThat(report.bytesHashed()).isZero();
  }

  @Test
  void unchangedStart_readsNoContentBack_andUploadsNoPackage() {
    StartupReport report = sandbox.run(classes, jar);

    assertThat(report.packagesUploaded()).isZero();
    assertThat(report.bytesUploaded()).as("rewriting a known manifest is not an upload").isZero();
    assertThat(report.bytesHashed()).isZero();
  }

  @Test
  void emptiedStore_getsEverythingAgain() throws IOException {
    try (var walk = Files.walk(sandbox.store)) {
      walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(sandbox.store)).forEach(p -> p.toFile().delete());
    }

    StartupReport report = sandbox.run(classes, jar);

    assertThat(report.packagesUploaded()).isEqualTo(cold.packagesUploaded());
    cold.packages().forEach(this::assertIntact);
  }
}
