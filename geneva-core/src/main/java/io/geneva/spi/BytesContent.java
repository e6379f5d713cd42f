package io.geneva.spi;

import io.geneva.internal.fingerprint.Sha256;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
      sha256 = Sha256.of(bytes);
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
