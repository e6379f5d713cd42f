package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.PublicSurface;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command is an application, not a library: its public types are only those the JVM, picocli or
 * Geneva's workers need public (the rule is {@link PublicSurface}'s).
 */
class PublicSurfaceTest {
  private static final Map<String, String> MUST_BE_PUBLIC = Map.of(
      "io.geneva.cli.GenevaCommand", "the main class of geneva.jar",
      "io.geneva.cli.bench.BenchCommand", "a subcommand GenevaCommand registers from another package",
      "io.geneva.cli.bench.NoopMain", "the benchmark's baseline, started as java -cp <dir> NoopMain",
      "io.geneva.cli.bench.NoopTask", "a task: workers create it by name through its public constructor",
      "io.geneva.cli.bench.HeavyTask", "the warm-start bench's heavy task: workers create it by name",
      // bin/geneva starts the thin client, and the client starts the daemon's JVM, each by class name.
      "io.geneva.cli.daemon.DaemonClient", "the daemon's thin client, the main class bin/geneva runs",
      "io.geneva.cli.daemon.DaemonMain", "the Geneva daemon's main class, started by the client");

  @Test
  void onlyWhatTheJvmOrWorkersNeed_isPublic() throws Exception {
    assertThat(PublicSurface.violations(
            PublicSurface.classesOf(GenevaCommand.class), getClass().getClassLoader(), MUST_BE_PUBLIC))
        .isEmpty();
  }
}
