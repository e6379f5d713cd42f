package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestRefreshTest {
  @TempDir Path dir;

  // Issue 16 item 5: gc --keep judges manifests by their time in storage, so using a manifest must
  // renew it; it once did only when the manifest was a day old.
  @Test
  void manifestInUse_isWrittenAgainOnEveryPublish_soGcCountsItsLastUse() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "a");
    StartupReport first = sandbox.run(classes);
    Path manifest = FixtureFiles.fileOf(first.manifestUri());
    // Storage stamps objects with the system clock, so their age is judged by it too.
    FileTime recent = FileTime.from(java.time.Instant.now().minus(Duration.ofMinutes(10)));
    Files.setLastModifiedTime(manifest, recent);

    sandbox.clock.advance(Duration.ofMinutes(1));
    StartupReport again = sandbox.run(classes);

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(again.packagesUploaded()).isZero();
    assertThat(again.bytesUploaded()).as("renewing a known manifest is not counted as an upload").isZero();
    assertThat(Files.getLastModifiedTime(manifest)).isGreaterThan(recent);
  }

  @Test
  void deletedManifest_isWrittenAgain_andCounted() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "a");
    StartupReport first = sandbox.run(classes);
    Path manifest = FixtureFiles.fileOf(first.manifestUri());
    byte[] bytes = Files.readAllBytes(manifest);
    Files.delete(manifest);

    StartupReport again = new Sandbox(dir, sandbox.project, dir.resolve("home2"), sandbox.store).run(classes);

    assertThat(manifest).hasBinaryContent(bytes);
    assertThat(again.bytesUploaded()).isEqualTo(bytes.length);
  }

  @Test
  void everyStoredObject_isReadableAndWritableOnlyByItsOwner() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "a");
    Path jar = FixtureFiles.write(sandbox.project.resolve("lib/dep.jar"), "not really a jar, shipped as is");
    sandbox.run(classes, jar);

    try (Stream<Path> files = Files.walk(sandbox.store)) {
      files.filter(Files::isRegularFile)
          .filter(p -> !sandbox.store.relativize(p).startsWith(".staging"))
          .forEach(p -> {
            try {
              assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                  .as(p.toString())
                  .isEqualTo("rw-------");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
  }
}
