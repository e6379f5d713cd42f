package io.geneva.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent.Type;
import io.geneva.ProgressEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String written() {
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  static void runJob(ProgressLines progress, int partitions) {
    progress.onEvent(new ProgressEvent(Phase.JOB, Type.STARTED, 0, partitions, "partitions"));
    for (int done = 1; done <= partitions; done++) {
      progress.onEvent(new ProgressEvent(Phase.JOB, Type.PROGRESS, done, partitions, "partitions"));
    }
    progress.onEvent(new ProgressEvent(Phase.JOB, Type.FINISHED, partitions, partitions, "partitions"));
  }

  static void openSession(ProgressLines progress) {
    progress.onEvent(new ProgressEvent(Phase.SCAN, Type.STARTED, 0, -1, "files"));
    progress.onEvent(new ProgressEvent(Phase.SCAN, Type.FINISHED, 120, 120, "files"));
    progress.onEvent(new ProgressEvent(Phase.FINGERPRINT, Type.STARTED, 0, 4096, "bytes"));
    progress.onEvent(new ProgressEvent(Phase.FINGERPRINT, Type.PROGRESS, 2048, 4096, "bytes"));
    progress.onEvent(new ProgressEvent(Phase.FINGERPRINT, Type.FINISHED, 4096, 4096, "bytes"));
  }

  @Test
  void withoutATerminal_aJobGetsAFewPlainLines_andTheStartupNone() {
    ProgressLines progress = new ProgressLines(out, false);

    openSession(progress);
    runJob(progress, 8);

    assertThat(written()).isEqualTo("job started: 8 partitions\n"
        + "job: 2/8 partitions done\n"
        + "job: 4/8 partitions done\n"
        + "job: 6/8 partitions done\n"
        + "job: 8/8 partitions done\n");
  }

  @Test
  void withoutATerminal_aJobOfFewPartitions_printsEachOnce() {
    ProgressLines progress = new ProgressLines(out, false);

    runJob(progress, 3);

    assertThat(written()).isEqualTo("job started: 3 partitions\n"
        + "job: 1/3 partitions done\n"
        + "job: 2/3 partitions done\n"
        + "job: 3/3 partitions done\n");
  }

  @Test
  void onATerminal_theStartupVanishes_andTheFinishedJobBarStays() {
    ProgressLines progress = new ProgressLines(out, true);

    openSession(progress);
    runJob(progress, 8);

    String screen = render(written());
    assertThat(screen).isEqualTo("job [========================] 8/8 partitions\n");
    assertThat(written()).contains("\rjob [===========>            ] 4/8 partitions")
        .contains("fingerprint [===========>            ] 2.0 KiB/4.0 KiB");
  }

  @Test
  void onATerminal_printedTextGoesAboveTheStatusLine() {
    ProgressLines progress = new ProgressLines(out, true);

    progress.onEvent(new ProgressEvent(Phase.PROVISION, Type.STARTED, 0, -1, "workers"));
    progress.println("Geneva packaged 3 files\n  phases: scan 1 ms\n");
    progress.println("2 workers ready");

    assertThat(render(written())).isEqualTo("Geneva packaged 3 files\n  phases: scan 1 ms\n2 workers ready\nprovision ...");
    progress.onEvent(new ProgressEvent(Phase.PROVISION, Type.FINISHED, 1, 1, "clusters"));
    assertThat(render(written())).endsWith("2 workers ready\n");
  }

  @Test
  void onATerminal_progressWithoutATotal_keepsTheTotalItsPhaseStartedWith() {
    ProgressLines progress = new ProgressLines(out, true);

    progress.onEvent(new ProgressEvent(Phase.FINGERPRINT, Type.STARTED, 0, 4096, "bytes"));
    progress.onEvent(new ProgressEvent(Phase.FINGERPRINT, Type.PROGRESS, 1024, -1, "bytes"));
    progress.onEvent(new ProgressEvent(Phase.PACK, Type.PROGRESS, 3 * 1024, -1, "bytes"));

    assertThat(render(written())).isEqualTo("fingerprint [=====>                  ] 1.0 KiB/4.0 KiB  pack 3.0 KiB");
  }

  @Test
  void bar_fillsInProportion_andNeverOverflows() {
    assertThat(ProgressLines.bar(0, 8)).isEqualTo("[" + " ".repeat(24) + "]");
    assertThat(ProgressLines.bar(1, 2)).isEqualTo("[===========>            ]");
    assertThat(ProgressLines.bar(9, 8)).isEqualTo("[" + "=".repeat(24) + "]");
  }

  /** What a terminal shows after this output: a carriage return goes back to the line's start. */
  static String render(String output) {
    StringBuilder screen = new StringBuilder();
    StringBuilder line = new StringBuilder();
    int column = 0;
    for (char c : output.toCharArray()) {
      if (c == '\n') {
        screen.append(line.toString().stripTrailing()).append('\n');
        line.setLength(0);
        column = 0;
      } else if (c == '\r') {
        column = 0;
      } else {
        if (column < line.length()) {
          line.setCharAt(column, c);
        } else {
          line.append(c);
        }
        column++;
      }
    }
    return screen.append(line.toString().stripTrailing()).toString();
  }
}
