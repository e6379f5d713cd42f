package io.geneva.internal.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. Thread-safe. */
public final class Sha256 {
  /** Read buffer size: large enough that the SHA intrinsics, not system calls, set the pace. */
  public static final int BUFFER_SIZE = 256 * 1024;

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);

  private Sha256() {}

  /** A new SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** This thread's reusable read buffer of {@link #BUFFER_SIZE} bytes. */
  public static byte[] buffer() {
    return BUFFERS.get();
  }

  /** Lower-case hex. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Parses lower-case hex. */
  public static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }

  /** The hex SHA-256 of these bytes. */
  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }

  /** The hex SHA-256 of this text's UTF-8 bytes. */
  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A file's content digest and the number of bytes read.
   *
   * @param sha256 lower-case hex
   * @param size bytes read
   */
  public record Hashed(String sha256, long size) {}

  /** Reads a file once and hashes it. */
  public static Hashed hashFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hashStream(in);
    }
  }

  /** Reads a stream to its end and hashes it; the caller closes the stream. */
  public static Hashed hashStream(InputStream in) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = buffer();
    long size = 0;
    for (int n; (n = in.read(buf)) != -1; ) {
      md.update(buf, 0, n);
      size += n;
    }
    return new Hashed(hex(md.digest()), size);
  }
}
