package io.geneva.internal.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link Scheduler} whose actions run when the test says time has passed, never on their own. */
public final class ManualScheduler implements Scheduler {
  private final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
  private final List<Runnable> due = Collections.synchronizedList(new ArrayList<>());

  @Override
  public Cancellable schedule(Duration delay, Runnable action) {
    delays.add(delay);
    Runnable[] slot = {action};
    due.add(() -> {
      Runnable a = slot[0];
      if (a != null) {
        a.run();
      }
    });
    return () -> slot[0] = null;
  }

  /** Every delay asked for so far, in order. */
  public List<Duration> delays() {
    synchronized (delays) {
      return List.copyOf(delays);
    }
  }

  /**
   * Lets every delay scheduled so far pass: runs the actions not cancelled. Actions they schedule
   * in turn wait for the next call.
   */
  public void elapseAll() {
    List<Runnable> now;
    synchronized (due) {
      now = new ArrayList<>(due);
      due.clear();
    }
    now.forEach(Runnable::run);
  }
}
