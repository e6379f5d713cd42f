package io.geneva.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An optional capability of a storage whose objects live on a local file system: Geneva writes a
 * package once, into a private directory on that file system, hashing it as it writes, and the
 * storage makes it visible by an atomic rename. A cold start then reads each byte once instead of
 * hashing it, copying it, and hashing the copy again.
 *
 * <p>Only Geneva's own pipeline commits staged files, and only files it wrote itself while computing
 * their SHA-256, so the digest is the content's by construction. Thread-safe.
 */
public interface LocalStaging {

  /**
   * A new, private, empty directory on the storage's file system. The caller deletes it (and
   * whatever it did not commit) when done.
   */
  Path newDirectory() throws IOException;

  /**
   * Makes a staged file visible under {@code key}, atomically: readers see the whole object or none.
   * The file is moved, not copied.
   *
   * @param file a file in a directory from {@link #newDirectory()}, whose size and SHA-256 the caller
   *     computed from exactly the bytes it wrote
   * @throws io.geneva.StorageException if the move fails
   */
  void commit(Path file, ObjectKey key);
}
