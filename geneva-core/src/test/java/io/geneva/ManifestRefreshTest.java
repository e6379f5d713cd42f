package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.internal.publish.Publisher;
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

  @Test
  void manifestInUse_isWrittenAgainOnceItIsOlderThanADay_soGcByAgeKeepsIt() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "a");
    StartupReport first = sandbox.run(classes);
    Path manifest = FixtureFiles.fileOf(first.manifestUri());
    // Storage stamps objects with the system clock, so their age is judged by it too.
    FileTime old = FileTime.from(java.time.Instant.now().minus(Duration.ofDays(3)));
    Files.setLastModifiedTime(manifest, old);

    sandbox.clock.advance(Duration.ofMinutes(1));
    StartupReport again = sandbox.run(classes);

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(again.packagesUploaded()).as("only the manifest is written").isZero();
    assertThat(again.bytesUploaded()).isEqualTo(Files.size(manifest));
    assertThat(Files.getLastModifiedTime(manifest)).isGreaterThan(old);
  }

  @Test
  void manifestYoungerThanTheRefreshAge_isNotWrittenAgain() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "a");
    StartupReport first = sandbox.run(classes);
    Path manifest = FixtureFiles.fileOf(first.manifestUri());
    FileTime recent = FileTime.from(java.time.Instant.now().minus(Publisher.MANIFEST_REFRESH.dividedBy(2)));
    Files.setLastModifiedTime(manifest, recent);

    StartupReport again = sandbox.run(classes);

    assertThat(again.bytesUploaded()).isZero();
    assertThat(Files.getLastModifiedTime(manifest)).isEqualTo(recent);
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
