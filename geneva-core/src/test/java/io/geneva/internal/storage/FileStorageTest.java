package io.geneva.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import io.geneva.FixtureFiles;
import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.io.StagingDirectories;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file storage does beyond the storage contract: its layout, staging and root checks. */
class FileStorageTest {
  @TempDir Path tempDir;

  @Test
  void put_usesTheContentAddressedLayoutUnderTheRoot() {
    byte[] content = FixtureFiles.randomBytes(1, 500);
    String digest = FixtureFiles.sha256(content);
    Path root = tempDir.resolve("store");
    try (FileStorage storage = FileStorage.open(root)) {
      Path file = tempDir.resolve("src.bin");
      FixtureFiles.write(file, content);
      storage.put(ObjectKey.forPackage(digest, "jar"), Content.ofFile(file, content.length, digest));
    }

    assertThat(FixtureFiles.storedPackage(root, digest)).exists().hasBinaryContent(content);
  }

  @Test
  void failedPut_leavesNoTemporaryFileInStaging() throws IOException {
    byte[] content = FixtureFiles.randomBytes(2, 500);
    Path root = tempDir.resolve("store");
    Path file = FixtureFiles.write(tempDir.resolve("src.bin"), content);
    try (FileStorage storage = FileStorage.open(root)) {
      ObjectKey key = ObjectKey.forPackage(FixtureFiles.sha256(content), "jar");
      assertThatThrownBy(() -> storage.put(key, Content.ofFile(file, content.length, FixtureFiles.sha256(new byte[1]))))
          .isInstanceOf(IntegrityException.class);
    }

    try (Stream<Path> staging = Files.list(root.resolve(".staging"))) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void open_reclaimsStagingLeftoversOlderThanTheOrphanAge_byTheGivenClock() throws IOException {
    Path root = tempDir.resolve("store");
    FileStorage.open(root).close();
    Path leftover = FixtureFiles.write(root.resolve(".staging").resolve("upload-123.tmp"), "half an upload");
    Instant written = Files.getLastModifiedTime(leftover).toInstant();

    FileStorage.open(root, Clock.fixed(written.plus(StagingDirectories.ORPHAN_AGE).minusSeconds(1), ZoneOffset.UTC))
        .close();
    assertThat(leftover).as("younger than the orphan age by the clock").exists();

    FileStorage.open(root, Clock.fixed(written.plus(StagingDirectories.ORPHAN_AGE).plusSeconds(1), ZoneOffset.UTC))
        .close();
    assertThat(leftover).as("older than the orphan age by the clock").doesNotExist();
  }

  @Test
  void open_ofRootUnderARegularFile_throwsStorageExceptionNamingTheRoot() {
    Path blocker = FixtureFiles.write(tempDir.resolve("blocker"), "not a directory");
    Path root = blocker.resolve("store");

    assertThatThrownBy(() -> FileStorage.open(root))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("choose")
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
  }

  @Test
  void provider_createsFileStorageForFileUri() {
    Path root = tempDir.resolve("via-provider");
    try (Storage storage = new FileStorageProvider().create(root.toUri())) {
      assertThat(storage).isInstanceOf(FileStorage.class);
      assertThat(Path.of(storage.root())).isEqualTo(root);
    }
    assertThat(root).isDirectory();
  }

  @Test
  void provider_rejectsFileUriWithAHost_namingIt() {
    URI withHost = URI.create("file://fileserver/share/geneva");

    assertThatThrownBy(() -> new FileStorageProvider().create(withHost))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("fileserver")
        .hasMessageContaining("file:///");
  }

  @Test
  void list_ignoresTheStagingDirectory() throws IOException {
    Path root = tempDir.resolve("store");
    try (FileStorage storage = FileStorage.open(root)) {
      Path staged = storage.newDirectory();
      FixtureFiles.write(staged.resolve("pending.jar"), "half written");

      assertThat(storage.list("")).isEmpty();
    }
  }

  @Test
  void commit_ofStagedFile_makesItVisibleUnderTheKey() throws IOException {
    byte[] content = FixtureFiles.randomBytes(3, 800);
    ObjectKey key = ObjectKey.forPackage(FixtureFiles.sha256(content), "jar");
    try (FileStorage storage = FileStorage.open(tempDir.resolve("store"))) {
      Path staged = FixtureFiles.write(storage.newDirectory().resolve("archive.jar"), content);

      storage.commit(staged, key);

      assertThat(staged).doesNotExist();
      assertThat(storage.open(key)).hasBinaryContent(content);
    }
  }
}
