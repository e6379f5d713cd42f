package io.geneva.internal.concurrent;

import java.time.Duration;

/**
 * Pauses the calling thread: the one way Geneva's main code waits for time to pass (a back-off, a
 * poll of a worker's state file, of the Kubernetes API or of a Ray job), so tests can make that
 * waiting instantaneous, tie it to a fake clock, or observe it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

  /**
   * Pauses for about this long.
   *
   * @throws InterruptedException if the thread is interrupted meanwhile
   */
  void sleep(Duration duration) throws InterruptedException;
}
