package io.geneva.internal.storage;

import io.geneva.ConfigurationException;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/** Serves {@code file:} storage roots with {@link FileStorage}. */
public final class FileStorageProvider implements StorageProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public Storage create(URI root) {
    if (root.getAuthority() != null && !root.getAuthority().isEmpty()) {
      throw new ConfigurationException(
          "storage root " + root + " names a host (" + root.getAuthority()
              + "); a file root is local: use file:///path");
    }
    try {
      return FileStorage.open(Path.of(root));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("storage root " + root + " is not a usable file URI: " + e.getMessage(), e);
    }
  }
}
