package io.geneva;

import java.util.Objects;

/**
 * What one worker did to get ready for a manifest.
 *
 * @param worker the worker's name, for example {@code local-2}
 * @param pid its process id (or -1 where there is no process of its own)
 * @param packagesFetched packages it downloaded from storage into the node cache
 * @param packagesFromCache packages it found already in the node cache
 * @param bytesFetched bytes it downloaded
 * @param bootstrapMillis how long its bootstrap took (0 if it was already bootstrapped)
 * @param alreadyReady whether it had bootstrapped this manifest before (a warm, reused worker)
 */
public record WorkerReport(
    String worker,
    long pid,
    int packagesFetched,
    int packagesFromCache,
    long bytesFetched,
    long bootstrapMillis,
    boolean alreadyReady) {
  /** Checks the components. */
  public WorkerReport {
    Objects.requireNonNull(worker, "worker");
  }
}
