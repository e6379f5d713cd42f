package io.geneva.spi;

import io.geneva.ProgressListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a provisioner knows about the session that asks for a cluster. A cluster does not belong to
 * one manifest: a retained one serves every later session whose spec matches, so manifests reach it
 * with each warmup and job.
 *
 * @param home the Geneva home of the session
 * @param jvmOptions the session's extra JVM options for workers (after the spec's own)
 * @param environment the session's extra environment variables for workers
 * @param clock the session's clock
 * @param listener the session's progress listener
 */
public record ProvisionContext(
    Path home, List<String> jvmOptions, Map<String, String> environment, Clock clock, ProgressListener listener) {
  /** Checks and copies the components. */
  public ProvisionContext {
    Objects.requireNonNull(home, "home");
    jvmOptions = List.copyOf(jvmOptions);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
  }
}
