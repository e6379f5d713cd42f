package io.geneva.internal.pack;

import io.geneva.EntryKind;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One package of the classpath, ready to publish.
 *
 * @param source display name, for example {@code guava-33.8.0-jre.jar} or {@code classes#3}
 * @param kind the entry's kind
 * @param sha256 hex digest of the package
 * @param size package size
 * @param reason why it was (re)built: {@code new}, {@code unchanged}, or which files changed
 * @param bytesPacked archive bytes written this run (0 if reused or a jar)
 * @param content supplies the bytes to upload; for a cached shard this rebuilds the archive
 * @param staged a file in the storage's local staging directory holding exactly these bytes, which
 *     publishing commits instead of uploading
 */
public record PackedPackage(
    String source,
    EntryKind kind,
    String sha256,
    long size,
    String reason,
    long bytesPacked,
    Supplier<Content> content,
    Optional<Path> staged) {

  /** Checks the components. */
  public PackedPackage {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(staged, "staged");
  }

  /** Where this package lives in storage. */
  public ObjectKey key() {
    return ObjectKey.forPackage(sha256, "jar");
  }
}
