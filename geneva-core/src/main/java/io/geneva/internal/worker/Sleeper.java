package io.geneva.internal.worker;

import java.time.Duration;

/**
 * Pauses the calling thread: the one way Geneva's worker and cluster code waits for time to pass
 * (a back-off, a poll), so tests can make that waiting instantaneous or observable. Implementations
 * are thread-safe.
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
