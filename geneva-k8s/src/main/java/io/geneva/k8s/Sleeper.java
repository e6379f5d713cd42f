package io.geneva.k8s;

import java.time.Duration;

/** Waits between two polls of the API server; tests pass one that advances a fake clock instead. */
@FunctionalInterface
interface Sleeper {
  /** Sleeps on this thread. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
