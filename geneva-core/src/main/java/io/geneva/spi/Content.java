package io.geneva.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Bytes to be stored, with the size and SHA-256 they must have. A storage reads the content as a
 * stream (never whole into memory) and must not make an object visible unless what it read has
 * exactly this size and digest.
 *
 * <p>Implementations are immutable; {@link #open()} may be called more than once (for a retry).
 */
public interface Content {

  /** The exact number of bytes. */
  long size();

  /** The lower-case hex SHA-256 of the bytes. */
  String sha256();

  /** Opens a new stream over the bytes; the caller closes it. */
  InputStream open() throws IOException;

  /**
   * The local file holding exactly these bytes, if there is one, so a storage can use a faster path
   * (a file channel transfer, a multipart upload of ranges). The file may still change under the
   * storage: the digest check stays mandatory.
   */
  default Optional<Path> file() {
    return Optional.empty();
  }

  /** Content held in memory, for small objects such as manifests; the array is not copied. */
  static Content ofBytes(byte[] bytes) {
    return new BytesContent(bytes);
  }

  /** Content backed by a local file. */
  static Content ofFile(Path file, long size, String sha256) {
    return new FileContent(file, size, sha256);
  }
}
