package io.geneva.spi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** {@link Content} held in memory; its digest is computed once, when first asked for. */
final class BytesContent implements Content {
  private final byte[] bytes;
  private String sha256;

  BytesContent(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public synchronized String sha256() {
    if (sha256 == null) {
      // The JDK's digest rather than Geneva's internal helper: the SPI depends on nothing internal.
      try {
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no SHA-256", e);
      }
    }
    return sha256;
  }

  @Override
  public InputStream open() {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public String toString() {
    return bytes.length + " bytes in memory";
  }
}
