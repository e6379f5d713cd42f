package io.geneva.cli;

import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import io.geneva.StartupReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A progress bar for a terminal: one line per pipeline phase, redrawn in place with {@code \r}, that
 * shows the phase, the work done (bytes in binary units, or a count) out of the total when known, and
 * the percentage. Each phase's line ends with a newline when the phase finishes. The cluster phases
 * ({@code provision}, {@code warmup}, {@code job}) draw the same way, counting workers and partitions.
 * Phases may overlap (the cluster starts while the classpath is packed): the phase that started last
 * draws, and one that finishes behind it prints its final line above it.
 *
 * <p>Redraws at most ten times a second; a phase's start and end always draw. Thread-safe: events of
 * one phase may come from several pipeline threads at once. Does not close the writer.
 */
final class ConsoleProgress implements ProgressListener {
  private static final long MIN_REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final PrintWriter terminal;
  private final LongSupplier nanoTime;
  private ProgressEvent.Phase phase;
  private long lastDraw;
  private int lastLength;
  private String lastLine = "";

  /** A progress bar on this writer (normally standard error), timed by {@link System#nanoTime()}. */
  ConsoleProgress(PrintWriter terminal) {
    this(terminal, System::nanoTime);
  }

  /** A progress bar on this writer, timed by this nanosecond clock (tests pass a fake one). */
  ConsoleProgress(PrintWriter terminal, LongSupplier nanoTime) {
    this.terminal = Objects.requireNonNull(terminal, "terminal");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public synchronized void onEvent(ProgressEvent event) {
    long now = nanoTime.getAsLong();
    switch (event.type()) {
      case STARTED -> {
        if (phase != null) {
          terminal.println(); // the previous phase never said it finished; keep its last line
          lastLength = 0;
        }
        phase = event.phase();
        draw(event, now);
      }
      case PROGRESS -> {
        if (event.phase() == phase && now - lastDraw >= MIN_REDRAW_NANOS) {
          draw(event, now);
        }
      }
      case FINISHED -> {
        if (event.phase() == phase || phase == null) {
          draw(event, now);
          terminal.println();
          terminal.flush();
          phase = null;
          lastLength = 0;
          lastLine = "";
        } else {
          finishedBehind(event, now);
        }
      }
    }
  }

  /**
   * A phase that is not the one drawing finished (a cluster starting while the classpath is
   * packed, or fingerprinting that ends after packing began): its final line takes the current line,
   * and the drawing phase goes on below it.
   */
  private void finishedBehind(ProgressEvent event, long now) {
    String current = lastLine;
    draw(event, now);
    terminal.println();
    lastLength = 0;
    draw(current, now);
  }

  private void draw(ProgressEvent event, long now) {
    draw(line(event), now);
  }

  private void draw(String line, long now) {
    // Pad with spaces to wipe what is left of a longer earlier line.
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    terminal.print('\r' + line + pad);
    terminal.flush();
    lastLength = line.length();
    lastLine = line;
    lastDraw = now;
  }

  /**
   * The text of one progress line, for example {@code fingerprint  12.0 MiB / 48.0 MiB  25%}. A total
   * that is unknown ({@code -1}), or smaller than what is already done (so not a total), is not shown,
   * and neither is a percentage.
   */
  static String line(ProgressEvent event) {
    String name = event.phase().name().toLowerCase(Locale.ROOT);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s %s", name, amount(event.done(), event.unit())));
    if (event.total() >= 0 && event.done() <= event.total()) {
      line.append(" / ").append(amount(event.total(), event.unit()));
      long percent = event.total() == 0 ? 100 : Math.min(100, event.done() * 100 / event.total());
      line.append(String.format(Locale.ROOT, "  %3d%%", percent));
    }
    return line.toString();
  }

  private static String amount(long n, String unit) {
    if (unit.equals("bytes")) {
      return StartupReport.bytes(n);
    }
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular(unit) : unit);
  }

  /** "1 cluster", "1 partition", "1 entry": the cluster phases often count one thing. */
  private static String singular(String unit) {
    if (unit.endsWith("ies")) {
      return unit.substring(0, unit.length() - 3) + "y";
    }
    return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
  }
}
