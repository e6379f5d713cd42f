package io.geneva.examples.storage;

import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.net.URI;
import java.util.Set;

/**
 * Serves the {@code httpstore} scheme: {@code httpstore://host:port/prefix} is the storage under
 * {@code prefix} of an {@link HttpObjectServer} at {@code http://host:port}. Listed in {@code
 * META-INF/services/io.geneva.spi.StorageProvider}, so {@code Geneva.connect("httpstore://...")}
 * finds it whenever this jar is on the classpath; a local cluster's workers get the same jar.
 */
public final class HttpStorageProvider implements StorageProvider {
  /** The scheme served. */
  public static final String SCHEME = "httpstore";

  @Override
  public Set<String> schemes() {
    return Set.of(SCHEME);
  }

  @Override
  public Storage create(URI root) {
    return HttpObjectStorage.open(root);
  }
}
