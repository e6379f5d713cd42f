package io.geneva.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An object found in a storage listing: its key, size and when it was last written.
 *
 * @param key the object's key
 * @param size its size in bytes
 * @param lastModified when it was last written, as the storage reports it
 */
public record StoredObject(ObjectKey key, long size, Instant lastModified) {
  /** Checks the components. */
  public StoredObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
  }
}
