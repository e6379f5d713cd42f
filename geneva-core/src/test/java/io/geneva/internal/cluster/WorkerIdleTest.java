package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.MutableClock;
import io.geneva.internal.concurrent.ManualScheduler;
import io.geneva.internal.worker.WorkerServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker stops once it has been idle for its idle timeout, by its clock, and not while a session is connected. */
class WorkerIdleTest {
  private static final String TOKEN = "0123456789abcdef".repeat(4);
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at(Instant.parse("2026-12-05T12:00:00Z"));
  final ManualScheduler timer = new ManualScheduler();
  WorkerServer worker;

  @BeforeEach
  void startWorkerInThisJvm() throws IOException {
    Files.writeString(dir.resolve("token"), TOKEN);
    worker = WorkerServer.start(new WorkerServer.Config("local-1", dir.resolve("worker-0.properties"),
        dir.resolve("token"), dir.resolve("cache"), 1 << 20, IDLE_TIMEOUT, -1), clock, timer);
  }

  @AfterEach
  void stopWorker() {
    if (worker.stopping()) {
      worker.awaitExit(); // returns at once, and closes the socket
    }
  }

  @Test
  void idleForLessThanTheTimeout_keepsLookingAQuarterOfItApart() {
    clock.advance(IDLE_TIMEOUT.minusSeconds(1));
    timer.elapseAll();
    timer.elapseAll();

    assertThat(worker.stopping()).isFalse();
    assertThat(timer.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void idleForLongerThanTheTimeout_stopsAndLooksNoMore() {
    clock.advance(IDLE_TIMEOUT.plusSeconds(1));
    timer.elapseAll();

    assertThat(worker.stopping()).isTrue();
    assertThat(timer.delays()).hasSize(1);
    assertThat(dir.resolve("worker-0.properties")).exists();
    worker.awaitExit();
    assertThat(dir.resolve("worker-0.properties")).doesNotExist();
  }

  @Test
  void aConnectedSession_keepsTheWorkerAlivePastTheTimeout() throws IOException {
    try (WorkerClient client = WorkerClient.connect("local-1", port(), TOKEN, Duration.ofSeconds(5),
        dir.resolve("worker-0.log"))) {
      clock.advance(IDLE_TIMEOUT.multipliedBy(3));
      timer.elapseAll();

      assertThat(worker.stopping()).isFalse();
      assertThat(client.pid()).isEqualTo(ProcessHandle.current().pid());
    }
  }

  private int port() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve("worker-0.properties"))) {
      p.load(in);
    }
    return Integer.parseInt(p.getProperty("port"));
  }
}
