package io.geneva.spi;

import io.geneva.Manifest;
import io.geneva.ProgressListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provisioner knows about the session that asks for a cluster.
 *
 * @param home the Geneva home of the session
 * @param manifest the session's manifest (its JVM options and environment are the workers')
 * @param manifestUri where workers read the manifest
 * @param clock the session's clock
 * @param listener the session's progress listener
 */
public record ProvisionContext(Path home, Manifest manifest, URI manifestUri, Clock clock, ProgressListener listener) {
  /** Checks the components. */
  public ProvisionContext {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(manifestUri, "manifestUri");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
  }
}
