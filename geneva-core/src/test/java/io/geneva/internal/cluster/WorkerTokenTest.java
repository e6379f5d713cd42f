package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.internal.worker.WorkerServer;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker lets in only connections that present the cluster's token. */
class WorkerTokenTest {
  private static final String TOKEN = "0123456789abcdef".repeat(4);

  @TempDir Path dir;
  int port;

  @BeforeEach
  void startWorkerInThisJvm() throws IOException {
    Files.writeString(dir.resolve("token"), TOKEN);
    WorkerServer.start(new WorkerServer.Config("local-1", dir.resolve("worker-0.properties"), dir.resolve("token"),
        dir.resolve("cache"), 1 << 20, Duration.ofMinutes(1), -1), Clock.systemUTC());
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve("worker-0.properties"))) {
      p.load(in);
    }
    port = Integer.parseInt(p.getProperty("port"));
  }

  @Test
  void theRightTokenIsLetIn() throws IOException {
    try (WorkerClient client = WorkerClient.connect("local-1", port, TOKEN, Duration.ofSeconds(5), dir.resolve("worker-0.log"))) {
      assertThat(client.pid()).isEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void aWrongTokenIsRefused() {
    assertThatThrownBy(() -> WorkerClient.connect("local-1", port, "f".repeat(64), Duration.ofSeconds(5), dir.resolve("worker-0.log")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aHugeFirstFrameIsNotReadButClosed() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(200 << 20); // claims 200 MiB before any token
      out.flush();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }
}
