package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario F with real worker processes: what it measures and that it leaves no worker running. */
class WarmWorkersTest {
  @TempDir Path dir;

  @Test
  void warmWorkers_measuresJobsAndJvmStartsAndStopsTheWorkersItRetained() throws IOException {
    List<String> progress = new ArrayList<>();
    Scenario f;
    try (WorkArea area = WorkArea.create(Optional.of(dir.resolve("work")))) {
      f = new WarmWorkers(area, 2, progress::add).run();
    }

    assertThat(f.id()).isEqualTo("F");
    assertThat(f.checks()).extracting(Check::measure)
        .containsExactly("1-partition job on warm workers / JVM start", "workers reused by the next session");
    // Whether the job beats a JVM start depends on the machine; that the workers were reused warm does not.
    assertThat(f.checks().get(1).verdict()).as(f.checks().get(1).ours()).isEqualTo(Check.Verdict.PASS);
    assertThat(f.data()).containsEntry("samePidsAsColdSession", true);
    assertThat((List<?>) f.data().get("jobRunsMicros")).hasSize(2);
    assertThat((List<?>) f.data().get("jvmStartRunsMicros")).hasSize(2);
    assertThat((Long) f.data().get("medianJvmStartMicros")).isPositive();
    assertThat((Long) f.data().get("coldFirstResultMillis"))
        .isGreaterThanOrEqualTo((Long) f.data().get("warmFirstResultMillis"));
    assertThat(f.notes()).anySatisfy(n -> assertThat(n).startsWith("first result from session open: fresh workers"));
    for (Object worker : (List<?>) f.data().get("warmSessionWorkers")) {
      long pid = (Long) ((Map<?, ?>) worker).get("pid");
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("worker pid %d", pid).isEmpty();
    }
  }
}
