package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessRunTest {
  @Test
  void timeOutput_givesMillisAndKib() {
    ProcessRun.TimeFigures t = ProcessRun.parseTime("17.12 9.80 18.03 403112\n");

    assertThat(t).isEqualTo(new ProcessRun.TimeFigures(17_120, 9_800, 18_030, 403_112));
  }

  @Test
  void failedCommand_lastFiguresLineCounts() {
    ProcessRun.TimeFigures t = ProcessRun.parseTime("Command exited with non-zero status 1\n0.01 0.00 0.00 1920\n");

    assertThat(t.peakRssKib()).isEqualTo(1920);
    assertThat(t.wallMillis()).isEqualTo(10);
  }

  @Test
  void noFiguresLine_failsQuotingTheOutput() {
    assertThatThrownBy(() -> ProcessRun.parseTime("time: cannot run foo: No such file or directory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("%e %U %S %M")
        .hasMessageContaining("cannot run foo");
  }

  @Test
  void formatting_showsCpuAndMib_orADashWhenUnknown() {
    ProcessRun known = new ProcessRun(1000, 1250, 30, 2048, "");
    ProcessRun unknown = new ProcessRun(1000, -1, -1, -1, "");

    assertThat(known.cpu()).isEqualTo("1.25 + 0.03 s");
    assertThat(known.rss()).isEqualTo("2 MiB");
    assertThat(known.peakRss()).hasValue(2L << 20);
    assertThat(unknown.cpu()).isEqualTo("-");
    assertThat(unknown.rss()).isEqualTo("-");
    assertThat(unknown.peakRss()).isEmpty();
  }
}
