package io.geneva.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.WorkerReport;
import io.geneva.internal.job.TaskSetupException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bootstrap started in the background as a warm-start worker starts, then asked for by the session. */
class BootstrapperTest {
  @TempDir Path dir;

  private URI publish() {
    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .classpath(List.of(Path.of("target/test-classes").toAbsolutePath())).projectDirectory(dir).open()) {
      return s.manifestUri();
    }
  }

  private Bootstrapper bootstrapper() {
    return new Bootstrapper(NodeCache.open(dir.resolve("cache"), 1L << 30, Clock.systemUTC()), "w", 2);
  }

  @Test
  void backgroundBootstrap_isWhatTheFirstRequestGets_withItsReport() {
    URI manifest = publish();
    try (Bootstrapper b = bootstrapper()) {
      b.bootstrapInBackground(manifest);

      Map.Entry<Bootstrapper.Prepared, WorkerReport> first = b.bootstrap(manifest);
      Map.Entry<Bootstrapper.Prepared, WorkerReport> second = b.bootstrap(manifest);

      assertThat(first.getValue().alreadyReady()).isFalse();
      assertThat(first.getValue().packagesFetched()).isPositive();
      assertThat(second.getValue().alreadyReady()).isTrue();
      assertThat(second.getKey()).isSameAs(first.getKey());
    }
  }

  @Test
  void backgroundBootstrapThatFailed_isReportedByTheRequestAsAnyFailure() throws IOException {
    URI absent = URI.create(Files.createDirectories(dir.resolve("store")).toUri() + "manifests/" + "a".repeat(64) + ".json");
    try (Bootstrapper b = bootstrapper()) {
      b.bootstrapInBackground(absent);

      assertThatThrownBy(() -> b.bootstrap(absent)).isInstanceOf(TaskSetupException.class)
          .hasMessageContaining("is not in storage");
    }
  }
}
