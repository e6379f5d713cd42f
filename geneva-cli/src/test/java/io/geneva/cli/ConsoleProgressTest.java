package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent.Type;
import io.geneva.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private final StringWriter screen = new StringWriter();
  private final AtomicLong nanos = new AtomicLong();
  private final ConsoleProgress progress = new ConsoleProgress(new PrintWriter(screen), nanos::get);

  private static ProgressEvent event(Phase phase, Type type, long done, long total, String unit) {
    return new ProgressEvent(phase, type, done, total, unit);
  }

  private long redraws() {
    return screen.toString().chars().filter(c -> c == '\r').count();
  }

  @Test
  void line_showsPhaseBytesInBinaryUnitsOfTheTotalAndThePercentage() {
    assertThat(ConsoleProgress.line(event(Phase.FINGERPRINT, Type.PROGRESS, 1024, 4096, "bytes")))
        .isEqualTo("fingerprint  1.0 KiB / 4.0 KiB   25%");
  }

  @Test
  void line_withoutATotal_showsOnlyWhatIsDone() {
    assertThat(ConsoleProgress.line(event(Phase.PACK, Type.PROGRESS, 3 << 20, -1, "bytes")))
        .isEqualTo("pack         3.0 MiB");
    assertThat(ConsoleProgress.line(event(Phase.SCAN, Type.FINISHED, 1200, 1200, "entries")))
        .isEqualTo("scan         1,200 entries / 1,200 entries  100%");
  }

  @Test
  void line_withATotalBelowWhatIsDone_showsNeitherTotalNorPercentage() {
    // A total of 0 B with 21.6 MiB done once read "21.6 MiB / 0 B 100%" during a cold fingerprint.
    assertThat(ConsoleProgress.line(event(Phase.FINGERPRINT, Type.PROGRESS, 22_649_241, 0, "bytes")))
        .isEqualTo("fingerprint  21.6 MiB");
    assertThat(ConsoleProgress.line(event(Phase.FINGERPRINT, Type.PROGRESS, 0, 0, "bytes")))
        .isEqualTo("fingerprint  0 B / 0 B  100%");
  }

  @Test
  void progress_redrawsAtMostTenTimesASecond() {
    progress.onEvent(event(Phase.FINGERPRINT, Type.STARTED, 0, 1000, "bytes"));
    for (int i = 1; i <= 1000; i++) {
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      progress.onEvent(event(Phase.FINGERPRINT, Type.PROGRESS, i, 1000, "bytes"));
    }

    // One draw at the start, then one per 100 ms over one second.
    assertThat(redraws()).isEqualTo(11);
  }

  @Test
  void finished_alwaysDrawsTheFinalLineAndEndsItWithANewline() {
    progress.onEvent(event(Phase.SCAN, Type.STARTED, 0, -1, "entries"));
    progress.onEvent(event(Phase.SCAN, Type.PROGRESS, 1, -1, "entries"));
    progress.onEvent(event(Phase.SCAN, Type.FINISHED, 2, 2, "entries"));
    progress.onEvent(event(Phase.PACK, Type.STARTED, 0, -1, "bytes"));

    assertThat(screen.toString()).startsWith("\rscan         0 entries")
        .contains("\rscan         2 entries / 2 entries  100%\n")
        .endsWith("\rpack         0 B");
    assertThat(redraws()).isEqualTo(3);
  }

  @Test
  void shorterLine_wipesTheRestOfTheLongerOneBeforeIt() {
    progress.onEvent(event(Phase.PUBLISH, Type.STARTED, 0, 12, "packages"));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    progress.onEvent(event(Phase.PUBLISH, Type.PROGRESS, 10, -1, "bytes"));

    String[] draws = screen.toString().split("\r");
    assertThat(draws[2]).startsWith("publish      10 B ").hasSameSizeAs(draws[1]);
  }

  @Test
  void progressOfAFinishedPhase_isIgnored() {
    progress.onEvent(event(Phase.PACK, Type.STARTED, 0, -1, "bytes"));
    progress.onEvent(event(Phase.PACK, Type.FINISHED, 5, 5, "bytes"));
    String afterFinish = screen.toString();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    progress.onEvent(event(Phase.PACK, Type.PROGRESS, 6, -1, "bytes"));

    assertThat(screen.toString()).isEqualTo(afterFinish);
  }

  @Test
  void eventsFromManyThreads_drawWholeLines() throws InterruptedException {
    ConsoleProgress realTime = new ConsoleProgress(new PrintWriter(screen));
    realTime.onEvent(event(Phase.FINGERPRINT, Type.STARTED, 0, 4_000_000, "bytes"));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          realTime.onEvent(event(Phase.FINGERPRINT, Type.PROGRESS, i * 1000L, 4_000_000, "bytes"));
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    realTime.onEvent(event(Phase.FINGERPRINT, Type.FINISHED, 4_000_000, 4_000_000, "bytes"));

    assertThat(screen.toString()).endsWith("\rfingerprint  3.8 MiB / 3.8 MiB  100%\n");
    for (String draw : screen.toString().split("\r")) {
      assertThat(draw).matches("(?s)(|fingerprint  .*)");
    }
  }
}
