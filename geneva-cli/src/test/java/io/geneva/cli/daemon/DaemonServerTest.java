package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon server inside the test's JVM, on a real Unix socket where the client looks for it, with a
 * command of the test's instead of Geneva's and an injected clock.
 */
class DaemonServerTest {
  @TempDir Path tmp;

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-06T03:00:00Z"));
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch interrupted = new CountDownLatch(1);
  private Path jar;
  private Map<String, String> env;
  private Path socket;
  private DaemonServer server;
  private CompletableFuture<Void> serving;

  /** Prints its arguments, and with "wait" first blocks until released or interrupted. */
  private int command(PrintStream out, PrintStream err, boolean console, String[] args) {
    out.print("out " + String.join(" ", args) + " console=" + console + "\n");
    err.print("err\n");
    if (args.length > 0 && args[0].equals("wait")) {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        return 130;
      }
    }
    return 3;
  }

  @BeforeEach
  void start() throws IOException {
    jar = Files.writeString(tmp.resolve("geneva.jar"), "jar");
    env = Map.of("GENEVA_HOME", tmp.resolve("home").toString(), "PATH", "/usr/bin");
    Path dir = DaemonDirectory.prepare(DaemonDirectory.of(env));
    DaemonKey key = client(new ByteArrayOutputStream(), new ByteArrayOutputStream()).key();
    socket = dir.resolve(key.name() + ".sock");
    server = new DaemonServer(socket, Duration.ofMinutes(30), new DaemonServer.Identity(key.hex(),
        key.environmentHex(), jar), clock, new PrintStream(log, true), this::command, Duration.ofSeconds(5));
    server.bind();
    serving = CompletableFuture.runAsync(() -> {
      try {
        server.serve();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.stop();
    // A connection wakes the selector; then serve() ends.
    DaemonClient.close(DaemonClient.connect(socket));
    serving.get(30, TimeUnit.SECONDS);
  }

  private DaemonClient client(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return new DaemonClient(env, jar, "", new PrintStream(err, true), out, err);
  }

  @Test
  void aCommand_sendsItsOutputAndExitCode_andTheDaemonIsFreeAfterwards() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(client(out, err).run(new String[] {"package", "--json"}, true)).isEqualTo(3);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out package --json console=true\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertThat(client(again, err).run(new String[] {"inspect"}, false)).isEqualTo(3);
    assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo("out inspect console=false\n");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("'package' exited 3").doesNotContain("--json");
  }

  @Test
  void aSecondClientWhileBusy_runsItsCommandItself() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Integer> first =
        CompletableFuture.supplyAsync(() -> client(out, new ByteArrayOutputStream()).run(new String[] {"wait"}, false));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    assertThat(client(second, second).run(new String[] {"package"}, false)).isEqualTo(DaemonClient.IN_PROCESS);
    assertThat(second.size()).as("nothing printed before falling back").isZero();

    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(3);
  }

  @Test
  void aClientThatGoesAway_hasItsCommandInterrupted() throws Exception {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      Protocol.writeRequest(new DataOutputStream(new Protocol.ChannelOutput(c)), Protocol.RUN, false,
          new String[] {"wait"});
      DataInputStream in = new DataInputStream(new Protocol.ChannelInput(c));
      assertThat(Protocol.readType(in)).isEqualTo(Protocol.HELLO);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    } // as a client does when the user presses Ctrl-C
    assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the command was interrupted").isTrue();
  }

  @Test
  void anotherProtocolVersion_isRefused_andItsClientRunsTheCommandItself() throws Exception {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      DataOutputStream out = new DataOutputStream(new Protocol.ChannelOutput(c));
      out.writeInt(Protocol.MAGIC);
      out.writeInt(Protocol.VERSION + 1);
      DataInputStream in = new DataInputStream(new Protocol.ChannelInput(c));
      assertThat(Protocol.readType(in)).isEqualTo(Protocol.HELLO);
      in.readInt();
      in.readLong();
      assertThat(Protocol.readType(in)).isEqualTo(Protocol.REFUSED);
      assertThat(Protocol.readString(in)).contains("protocol version");
    }
  }

  @Test
  void status_namesPidJarAndDirectory_butNoEnvironmentValue() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(new DaemonControl(client(out, out)).run(new String[] {"daemon", "status"})).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("pid " + ProcessHandle.current().pid())
        .contains("jar " + jar)
        .contains("directory " + System.getProperty("user.dir"))
        .doesNotContain("/usr/bin");
  }

  @Test
  void stop_endsTheServerAndRemovesItsSocket() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(new DaemonControl(client(out, out)).run(new String[] {"daemon", "stop"})).isZero();
    serving.get(30, TimeUnit.SECONDS);
    assertThat(socket).doesNotExist();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("stopped the Geneva daemon (pid ");
  }

  @Test
  void itEnds_whenIdleLongEnough_whenItsJarChanges_orWhenItsSocketIsReplaced() throws IOException {
    assertThat(server.reasonToEnd()).isEmpty();
    clock.advance(Duration.ofMinutes(31));
    assertThat(server.reasonToEnd()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("idle for 1860 s");
    clock.advance(Duration.ofMinutes(-31));

    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 5_000));
    assertThat(server.reasonToEnd()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("changed or was deleted");
  }

  @Test
  void aSocketNoDaemonAnswers_isStale_andStatusRemovesIt() throws IOException {
    Path stale = socket.resolveSibling("0123456789abcdef.sock");
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(stale));
    dead.close(); // leaves the file, as a daemon that was killed does
    assertThat(stale).exists();
    assertThat(DaemonClient.connect(stale)).isNull();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DaemonControl(client(out, out)).run(new String[] {"daemon", "status"});
    assertThat(stale).doesNotExist();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("pid " + ProcessHandle.current().pid());
  }
}
