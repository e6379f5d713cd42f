package io.geneva.examples;

import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import io.geneva.StartupReport;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Shows a session's progress on a console, and prints the program's own output around it.
 *
 * <p>On a terminal, one status line is redrawn in place: each running phase with a bar where its
 * total is known; a finished job's bar stays, other phases vanish when they end, as the startup
 * report tells their story. Elsewhere (a pipe, a file, a build tool's log) a status line would leave
 * a carriage-return mess, so only a few plain lines appear: when a job starts and as each quarter
 * of its partitions finishes. Text printed through {@link #println(String)} appears above the
 * status line instead of through it.
 *
 * <p>Thread-safe: events arrive from the startup pipeline's, the provisioning and the job's threads.
 * Does not close its stream.
 */
public final class ProgressLines implements ProgressListener {
  static final int WIDTH = 79;
  private static final int BAR = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final Map<Phase, String> running = new EnumMap<>(Phase.class);
  private final Map<Phase, Long> totals = new EnumMap<>(Phase.class);
  private String status = "";
  private long quartersPrinted;

  /**
   * @param out where to write
   * @param terminal whether {@code out} is a terminal that honours a carriage return
   */
  public ProgressLines(PrintStream out, boolean terminal) {
    this.out = Objects.requireNonNull(out, "out");
    this.terminal = terminal;
  }

  /** Progress on standard output, with a status line if this JVM has a console. */
  public static ProgressLines onStandardOutput() {
    return new ProgressLines(System.out, System.console() != null);
  }

  /** Prints text (one or more lines) above the status line. */
  public synchronized void println(String text) {
    String erase = status.isEmpty() ? "" : "\r" + " ".repeat(status.length()) + "\r";
    out.print(erase + text + (text.endsWith("\n") ? "" : System.lineSeparator()) + status);
    out.flush();
  }

  @Override
  public synchronized void onEvent(ProgressEvent event) {
    if (terminal) {
      update(event);
    } else if (event.phase() == Phase.JOB) {
      printMilestone(event);
    }
  }

  private void update(ProgressEvent received) {
    Phase phase = received.phase();
    ProgressEvent event = withKnownTotal(received);
    boolean finished = event.type() == ProgressEvent.Type.FINISHED;
    if (finished) {
      running.remove(phase);
      totals.remove(phase);
    } else {
      running.put(phase, describe(event));
    }
    redraw(String.join("  ", running.values()));
    if (finished && phase == Phase.JOB) {
      println(describe(event));
    }
  }

  /** The event, with the total an earlier event of its phase gave if it has none of its own. */
  private ProgressEvent withKnownTotal(ProgressEvent event) {
    if (event.total() > 0) {
      totals.put(event.phase(), event.total());
      return event;
    }
    Long known = totals.get(event.phase());
    return known == null
        ? event
        : new ProgressEvent(event.phase(), event.type(), event.done(), known, event.unit());
  }

  private void redraw(String text) {
    String next = text.length() > WIDTH ? text.substring(0, WIDTH) : text;
    if (!next.equals(status)) {
      // Spaces cover what a longer status line left behind; then back to the end of the new one.
      int leftBehind = status.length() - next.length();
      out.print("\r" + next + (leftBehind > 0 ? " ".repeat(leftBehind) + "\r" + next : ""));
      out.flush();
      status = next;
    }
  }

  private void printMilestone(ProgressEvent event) {
    switch (event.type()) {
      case STARTED -> {
        quartersPrinted = 0;
        println("job started: " + event.total() + " partitions");
      }
      case PROGRESS -> {
        long quarters = event.total() > 0 ? event.done() * 4 / event.total() : 0;
        if (quarters > quartersPrinted) {
          quartersPrinted = quarters;
          println("job: " + event.done() + "/" + event.total() + " partitions done");
        }
      }
      case FINISHED -> { }
    }
  }

  /** One phase's part of the status line, for example {@code job [======>     ] 5/8 partitions}. */
  static String describe(ProgressEvent event) {
    String name = event.phase().name().toLowerCase(Locale.ROOT);
    boolean bytes = event.unit().equals("bytes");
    String done = bytes ? StartupReport.bytes(event.done()) : String.valueOf(event.done());
    if (event.total() <= 0) {
      return event.type() == ProgressEvent.Type.STARTED ? name + " ..." : name + " " + done + (bytes ? "" : " " + event.unit());
    }
    String total = bytes ? StartupReport.bytes(event.total()) : String.valueOf(event.total());
    return name + " " + bar(event.done(), event.total()) + " " + done + "/" + total + (bytes ? "" : " " + event.unit());
  }

  /** {@code [=========>          ]}, full when {@code done} reaches {@code total}. */
  static String bar(long done, long total) {
    int filled = (int) Math.min(BAR, Math.max(0, done) * BAR / total);
    String head = filled < BAR && filled > 0 ? ">" : "";
    int body = head.isEmpty() ? filled : filled - 1;
    return "[" + "=".repeat(body) + head + " ".repeat(BAR - filled) + "]";
  }
}
