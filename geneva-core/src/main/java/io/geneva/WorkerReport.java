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
 * @param replaced the worker this one replaced because it was lost during the warmup, with what was
 *     seen (for example {@code local-1 (pid 4242) is gone: its connection closed; its process has
 *     exited}), or empty
 */
public record WorkerReport(
    String worker,
    long pid,
    int packagesFetched,
    int packagesFromCache,
    long bytesFetched,
    long bootstrapMillis,
    boolean alreadyReady,
    String replaced) {
  /** Checks the components. */
  public WorkerReport {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(replaced, "replaced");
  }

  /** A report of a worker that replaced none. */
  public WorkerReport(
      String worker, long pid, int packagesFetched, int packagesFromCache, long bytesFetched, long bootstrapMillis,
      boolean alreadyReady) {
    this(worker, pid, packagesFetched, packagesFromCache, bytesFetched, bootstrapMillis, alreadyReady, "");
  }

  /** This report, saying it replaced a worker lost during the warmup. */
  public WorkerReport replacing(String lostWorker) {
    return new WorkerReport(worker, pid, packagesFetched, packagesFromCache, bytesFetched, bootstrapMillis,
        alreadyReady, lostWorker);
  }
}
