package io.geneva.internal.progress;

import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The startup's phases as a listener sees them (started, progress, finished) and as the report records
 * them (wall milliseconds per phase, in the order they finished). Each stage begins and ends its own
 * phases; phases of different stages may overlap.
 *
 * <p>Thread-safe: progress comes from pool threads.
 */
public final class Phases {
  private final ProgressListener listener;
  private final Map<String, Long> millis = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Phases reported to this listener. */
  public Phases(ProgressListener listener) {
    this.listener = listener;
  }

  /**
   * Starts a phase.
   *
   * @param total the work expected, or -1 when it is not known yet
   * @return the start, to pass to {@link #end}
   */
  public long begin(Phase phase, long total, String unit) {
    listener.onEvent(new ProgressEvent(phase, ProgressEvent.Type.STARTED, 0, total, unit));
    return System.nanoTime();
  }

  /** Ends a phase now: records its wall time under {@code name} and tells the listener. */
  public void end(Phase phase, String name, long startedNanos, long done, String unit) {
    end(phase, name, startedNanos, System.nanoTime(), done, unit);
  }

  /** Ends a phase that finished at {@code endedNanos} (work on another thread). */
  public void end(Phase phase, String name, long startedNanos, long endedNanos, long done, String unit) {
    millis.put(name, (endedNanos - startedNanos) / 1_000_000);
    listener.onEvent(new ProgressEvent(phase, ProgressEvent.Type.FINISHED, done, done, unit));
  }

  /**
   * Records a figure that is not a phase of its own but a part of one (for example how long
   * publishing went on after packing ended), under {@code name}, without telling the listener.
   */
  public void record(String name, long millis) {
    this.millis.put(name, millis);
  }

  /**
   * A counter that reports bytes done in a phase as threads add to it.
   *
   * @param total the bytes the phase will process, or -1 when not known
   */
  public LongConsumer progress(Phase phase, long total) {
    AtomicLong done = new AtomicLong();
    return n -> listener.onEvent(
        new ProgressEvent(phase, ProgressEvent.Type.PROGRESS, done.addAndGet(n), total, "bytes"));
  }

  /** Each finished phase's wall milliseconds, in the order they finished. */
  public Map<String, Long> millis() {
    synchronized (millis) {
      return new LinkedHashMap<>(millis);
    }
  }
}
