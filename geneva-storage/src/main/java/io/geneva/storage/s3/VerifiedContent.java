package io.geneva.storage.s3;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A stream over {@link Content} that hands out exactly {@link Content#size()} bytes and checks, before
 * it hands out the last of them, that the content has no more bytes and has the declared SHA-256.
 * If it does not, it throws {@link Failure} instead of the final bytes, so the request carrying
 * them never completes and S3 never makes the object visible.
 *
 * <p>Failures are unchecked on purpose: the SDK retries a request whose body throws an {@link
 * IOException}, and re-reading content that is wrong or unreadable cannot help.
 */
final class VerifiedContent extends InputStream {
  private final InputStream in;
  private final ObjectKey key;
  private final Content content;
  private final MessageDigest digest = Sha256.newDigest();
  private long position;
  private boolean verified;

  private VerifiedContent(InputStream in, ObjectKey key, Content content) {
    this.in = in;
    this.key = key;
    this.content = content;
  }

  /** Opens the content for one attempt at uploading it. */
  static VerifiedContent open(ObjectKey key, Content content) {
    try {
      return new VerifiedContent(content.open(), key, content);
    } catch (IOException e) {
      throw Failure.unreadable(key, content, e);
    }
  }

  /** Reads to the end of empty content, which a request may never read, to verify it. */
  void verifyEmpty() {
    read(); // throws if there is a byte, or if the digest is not that of no bytes
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    long size = content.size();
    if (position >= size) {
      if (!verified) {
        verifyEnd();
      }
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n;
    try {
      n = in.read(b, off, (int) Math.min(len, size - position));
    } catch (IOException e) {
      throw Failure.unreadable(key, content, e);
    }
    if (n < 0) {
      throw Failure.mismatch(key, content, "ended after " + position + " bytes");
    }
    digest.update(b, off, n);
    position += n;
    if (position == size) {
      verifyEnd(); // before these last bytes are handed out
    }
    return n;
  }

  private void verifyEnd() {
    try {
      if (in.read() != -1) {
        throw Failure.mismatch(key, content, "has more bytes than that");
      }
    } catch (IOException e) {
      throw Failure.unreadable(key, content, e);
    }
    String actual = Sha256.hex(digest.digest());
    if (!actual.equals(content.sha256())) {
      throw Failure.mismatch(key, content, "read as " + position + " bytes with sha256 " + actual);
    }
    verified = true;
  }

  /** Whether the content was read to its end and found to be what it declares. */
  boolean verified() {
    return verified;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The content was not what it declared, or could not be read; nothing was stored. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean integrity;

    private Failure(String message, Throwable cause, boolean integrity) {
      super(message, cause);
      this.integrity = integrity;
    }

    static Failure mismatch(ObjectKey key, Content content, String what) {
      return new Failure(
          "content for " + key + " (" + content + ") declares " + content.size() + " bytes with sha256 "
              + content.sha256() + " but " + what + "; it changed or is corrupt, so nothing was stored",
          null, true);
    }

    static Failure unreadable(ObjectKey key, Content content, IOException e) {
      return new Failure(
          "cannot read the content for " + key + " (" + content + "): " + e + "; nothing was stored", e, false);
    }

    /** The exception the storage's caller gets. */
    RuntimeException toStorageFailure() {
      return integrity
          ? new IntegrityException(getMessage())
          : new StorageException(getMessage(), getCause(), false);
    }

    /** The content failure behind an exception the SDK may have wrapped it in, if there is one. */
    static java.util.Optional<Failure> in(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof Failure f) {
          return java.util.Optional.of(f);
        }
        if (c.getCause() == c) {
          break;
        }
      }
      return java.util.Optional.empty();
    }
  }
}
