package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressEvent.Type;
import io.geneva.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress bar through the phases a {@code geneva run} adds: provision, warmup and job. */
class ConsoleProgressClusterPhasesTest {

  private static ProgressEvent event(Phase phase, Type type, long done, long total, String unit) {
    return new ProgressEvent(phase, type, done, total, unit);
  }

  @Test
  void line_countsOneThingInTheSingular() {
    assertThat(ConsoleProgress.line(event(Phase.PROVISION, Type.FINISHED, 1, 1, "clusters")))
        .isEqualTo("provision    1 cluster / 1 cluster  100%");
    assertThat(ConsoleProgress.line(event(Phase.JOB, Type.PROGRESS, 1, 4, "partitions")))
        .isEqualTo("job          1 partition / 4 partitions   25%");
    assertThat(ConsoleProgress.line(event(Phase.SCAN, Type.PROGRESS, 1, -1, "entries")))
        .isEqualTo("scan         1 entry");
  }

  @Test
  void clusterPhases_eachEndOnTheirOwnLine() {
    StringWriter screen = new StringWriter();
    AtomicLong nanos = new AtomicLong();
    ConsoleProgress progress = new ConsoleProgress(new PrintWriter(screen), nanos::get);

    progress.onEvent(event(Phase.PROVISION, Type.STARTED, 0, -1, "workers"));
    progress.onEvent(event(Phase.PROVISION, Type.FINISHED, 1, 1, "clusters"));
    progress.onEvent(event(Phase.WARMUP, Type.STARTED, 0, -1, "workers"));
    progress.onEvent(event(Phase.WARMUP, Type.FINISHED, 2, 2, "workers"));
    progress.onEvent(event(Phase.JOB, Type.STARTED, 0, 2, "partitions"));
    progress.onEvent(event(Phase.JOB, Type.FINISHED, 2, 2, "partitions"));

    assertThat(screen.toString().split("\n"))
        .containsExactly(
            "\rprovision    0 workers\rprovision    1 cluster / 1 cluster  100%",
            "\rwarmup       0 workers\rwarmup       2 workers / 2 workers  100%",
            "\rjob          0 partitions / 2 partitions    0%\rjob          2 partitions / 2 partitions  100%");
  }

  @Test
  void clusterFinishingBehindThePipeline_printsItsLineAboveAndThePipelineGoesOn() {
    StringWriter screen = new StringWriter();
    AtomicLong nanos = new AtomicLong();
    ConsoleProgress progress = new ConsoleProgress(new PrintWriter(screen), nanos::get);

    progress.onEvent(event(Phase.PROVISION, Type.STARTED, 0, 2, "workers"));
    progress.onEvent(event(Phase.FINGERPRINT, Type.STARTED, 0, 4096, "bytes"));
    progress.onEvent(event(Phase.PROVISION, Type.FINISHED, 2, 2, "workers"));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    progress.onEvent(event(Phase.FINGERPRINT, Type.PROGRESS, 1024, 4096, "bytes"));
    progress.onEvent(event(Phase.FINGERPRINT, Type.FINISHED, 4096, 4096, "bytes"));

    assertThat(screen.toString().split("\n"))
        .containsExactly(
            "\rprovision    0 workers / 2 workers    0%",
            "\rfingerprint  0 B / 4.0 KiB    0%\rprovision    2 workers / 2 workers  100%",
            "\rfingerprint  0 B / 4.0 KiB    0%\rfingerprint  1.0 KiB / 4.0 KiB   25%"
                + "\rfingerprint  4.0 KiB / 4.0 KiB  100%");
  }
}
