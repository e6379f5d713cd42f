package io.geneva.internal.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action once a delay has passed: how the job runner times attempts out and a worker
 * notices it is idle or stuck, injected so tests decide when time passes instead of waiting for
 * it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs action on some thread once delay has passed, unless the returned handle is cancelled first.
   * A delay too long to represent in nanoseconds never fires.
   */
  Cancellable schedule(Duration delay, Runnable action);

  /** A scheduled action that has not run yet, or has. */
  @FunctionalInterface
  interface Cancellable {
    /** Keeps the action from running if it has not started; idempotent. */
    void cancel();
  }

  /** Real time, on one shared daemon thread. */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** The shared real-time scheduler. */
  final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();

    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(ThreadFactories.daemon("geneva-timer"));

    private SystemScheduler() {}

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
      long nanos;
      try {
        nanos = delay.toNanos();
      } catch (ArithmeticException e) {
        return () -> {}; // longer than about 292 years: never
      }
      ScheduledFuture<?> f = timer.schedule(action, nanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }
  }
}
