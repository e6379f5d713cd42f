package io.geneva.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's socket and lifecycle: accepts connections from this user only (the peer's uid, from
 * {@code SO_PEERCRED}, must own the socket), runs one command at a time ({@link DaemonRequest}) and
 * answers a second with {@link Protocol#BUSY} so its client runs it itself, answers status and stop,
 * and ends when idle for longer than its idle time, when its jar changes or is deleted, or when its
 * socket file is removed or replaced. On the way out it removes its socket file if it is still its own.
 *
 * <p>Not thread-safe: {@link #serve()} runs on one thread; requests run on their own.
 */
final class DaemonServer implements AutoCloseable {
  /** Runs one command with these streams; the daemon's is {@code GenevaCommand}, tests give others. */
  interface Command {
    int run(PrintStream out, PrintStream err, boolean console, String[] args);
  }

  /** The identity a daemon reports in {@code geneva daemon status}. */
  static final class Identity {
    final String key;
    final String environmentDigest;
    final Path jar;

    Identity(String key, String environmentDigest, Path jar) {
      this.key = key;
      this.environmentDigest = environmentDigest;
      this.jar = jar;
    }
  }

  private final Path socket;
  private final Duration idle;
  private final Identity identity;
  private final Clock clock;
  private final PrintStream log;
  private final Command command;
  private final Duration checkEvery;
  private final Instant started;

  private @Nullable ServerSocketChannel server;
  private @Nullable Object socketFileKey;
  private @Nullable UserPrincipal owner;
  private @Nullable String jarStamp;
  private volatile boolean stopping;
  private volatile @Nullable DaemonRequest running;
  private volatile Instant lastActive;
  private int served;

  DaemonServer(Path socket, Duration idle, Identity identity, Clock clock, PrintStream log, Command command,
      Duration checkEvery) {
    this.socket = socket;
    this.idle = idle;
    this.identity = identity;
    this.clock = clock;
    this.log = log;
    this.command = command;
    this.checkEvery = checkEvery;
    this.started = clock.instant();
    this.lastActive = started;
  }

  /** Binds the socket (mode 600); a stale socket file must have been removed by the client that started us. */
  void bind() throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    socketFileKey = fileKey(socket).orElseThrow(() -> new NoSuchFileException(socket.toString()));
    owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
    jarStamp = jarStamp();
  }

  /** Serves until stopped or a reason to end comes; then closes. */
  void serve() throws IOException {
    try (Selector selector = Selector.open()) {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      while (!stopping) {
        selector.select(Math.max(1, checkEvery.toMillis()));
        selector.selectedKeys().clear();
        for (SocketChannel c = server.accept(); c != null; c = server.accept()) {
          accept(c);
        }
        Optional<String> reason = reasonToEnd();
        if (reason.isPresent()) {
          log("stopping: " + reason.get());
          break;
        }
      }
    } finally {
      close();
    }
  }

  /** Why the daemon should end now, if it should. */
  Optional<String> reasonToEnd() {
    if (stopping) {
      return Optional.of("asked to stop");
    }
    if (running != null) {
      return Optional.empty();
    }
    Optional<Object> key = fileKey(socket);
    if (key.isEmpty() || !key.get().equals(socketFileKey)) {
      return Optional.of("its socket file was removed or replaced");
    }
    if (!Objects.equals(jarStamp(), jarStamp)) {
      return Optional.of("its jar " + identity.jar + " changed or was deleted");
    }
    Duration quiet = Duration.between(lastActive, clock.instant());
    if (quiet.compareTo(idle) >= 0) {
      return Optional.of("idle for " + quiet.toSeconds() + " s (GENEVA_DAEMON_IDLE: " + idle.toSeconds() + " s)");
    }
    return Optional.empty();
  }

  private void accept(SocketChannel c) {
    try {
      c.configureBlocking(true);
      UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!peer.user().equals(owner)) {
        log("refused a connection from user " + peer.user().getName() + ": only " + owner.getName() + " may use it");
        c.close();
        return;
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(new Protocol.ChannelInput(c)));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new Protocol.ChannelOutput(c), 1 << 16));
      Protocol.Request request = Protocol.readRequest(in);
      Protocol.writeHello(out, ProcessHandle.current().pid());
      if (request.version != Protocol.VERSION) {
        Protocol.writeText(out, Protocol.REFUSED, "protocol version " + Protocol.VERSION + ", not " + request.version);
        c.close();
      } else if (request.kind == Protocol.STATUS) {
        Protocol.writeText(out, Protocol.TEXT, status());
        c.close();
      } else if (request.kind == Protocol.STOP) {
        stopping = true;
        DaemonRequest r = running;
        if (r != null) {
          r.cancel("the daemon was stopped");
        }
        // The socket file goes before the answer, so that a client may start a new daemon at once.
        removeSocketFile();
        Protocol.writeExit(out, 0);
        c.close();
      } else if (running != null) {
        out.writeByte(Protocol.BUSY);
        out.flush();
        c.close();
        log("busy: a client runs its command itself");
      } else {
        served++;
        DaemonRequest r = new DaemonRequest(c, in, out, request, command, log, this::finished);
        running = r;
        r.start();
      }
    } catch (IOException | RuntimeException e) {
      log("a connection failed: " + e);
      DaemonClient.close(c);
    }
  }

  private void finished(DaemonRequest r) {
    lastActive = clock.instant();
    running = null;
  }

  /** The request running now, if any (tests wait for it). */
  Optional<DaemonRequest> running() {
    return Optional.ofNullable(running);
  }

  void stop() {
    stopping = true;
  }

  private String status() {
    long idleSeconds = running != null ? 0 : Duration.between(lastActive, clock.instant()).toSeconds();
    return "pid " + ProcessHandle.current().pid() + "  key " + identity.key.substring(0, DaemonKey.NAME_LENGTH)
        + "  " + (running != null ? "busy" : "idle " + idleSeconds + " s of " + idle.toSeconds() + " s")
        + "  commands " + served + "\n"
        + "  directory " + System.getProperty("user.dir") + "\n"
        + "  jar " + identity.jar + "\n"
        + "  java " + System.getProperty("java.home") + " (" + System.getProperty("java.runtime.version") + ")\n"
        + "  environment sha256 " + identity.environmentDigest.substring(0, 16) + "\n"
        + "  log " + socket.resolveSibling(socket.getFileName().toString().replace(".sock", ".log")) + "\n";
  }

  private String jarStamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(identity.jar, BasicFileAttributes.class);
      return a.size() + "/" + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return "missing";
    }
  }

  private static Optional<Object> fileKey(Path p) {
    try {
      return Optional.ofNullable(
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void removeSocketFile() {
    Optional<Object> key = fileKey(socket);
    if (key.isPresent() && key.get().equals(socketFileKey)) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log("cannot remove " + socket + ": " + e.getMessage());
      }
    }
  }

  void log(String line) {
    log.println(clock.instant() + " " + line);
    log.flush();
  }

  @Override
  public void close() {
    removeSocketFile();
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        log("cannot close the socket: " + e.getMessage());
      }
    }
  }
}
