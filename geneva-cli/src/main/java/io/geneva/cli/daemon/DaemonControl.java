package io.geneva.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code geneva daemon status} (this user's daemons under the Geneva home: pid, what they are keyed
 * on, idle time, jar, java; never an environment value) and {@code geneva daemon stop [--all]} (the
 * daemon of this directory, jar, java and environment, or every one). Stop waits for each daemon
 * process to end, so none is left when it returns. A socket no daemon answers is removed.
 */
final class DaemonControl {
  private static final String USAGE = "geneva: usage: geneva daemon status | geneva daemon stop [--all]";

  private final DaemonClient client;

  DaemonControl(DaemonClient client) {
    this.client = client;
  }

  int run(String[] args) {
    String what = args.length > 1 ? args[1] : "";
    boolean all = args.length == 3 && args[2].equals("--all");
    if (!(what.equals("status") && args.length == 2) && !(what.equals("stop") && (args.length == 2 || all))) {
      client.err().println(args.length > 1
          ? DaemonClient.cat("geneva: unknown daemon command '", String.join(" ", args).substring(7), "'; ",
              USAGE.substring(8))
          : USAGE);
      return 2;
    }
    Path dir = DaemonDirectory.of(client.environment());
    try {
      if (Files.isDirectory(dir)) {
        DaemonDirectory.check(dir);
      }
      if (what.equals("status")) {
        return status(dir);
      }
      List<Path> sockets = all ? sockets(dir)
          : Collections.singletonList(dir.resolve(client.key().name().concat(".sock")));
      return stop(dir, sockets);
    } catch (IOException e) {
      client.err().println("geneva: ".concat(String.valueOf(e.getMessage())));
      return 1;
    }
  }

  private int status(Path dir) throws IOException {
    StringBuilder text = new StringBuilder();
    int n = 0;
    for (Path socket : sockets(dir)) {
      Optional<String> status = ask(socket, Protocol.STATUS);
      if (status.isPresent()) {
        text.append(status.get());
        n++;
      }
    }
    if (n == 0) {
      text.append("no Geneva daemon is running (").append(dir).append(")\n");
    }
    client.stdout().write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    client.stdout().flush();
    return 0;
  }

  private int stop(Path dir, List<Path> sockets) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Path socket : sockets) {
      Optional<String> pid = ask(socket, Protocol.STOP);
      if (pid.isPresent()) {
        awaitExit(Long.parseLong(pid.get()));
        text.append("stopped the Geneva daemon (pid ").append(pid.get()).append(")\n");
      }
    }
    if (text.length() == 0) {
      text.append("no Geneva daemon to stop (").append(dir).append(")\n");
    }
    client.stdout().write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    client.stdout().flush();
    return 0;
  }

  /** Waits for a stopped daemon's process to end; its socket is gone before it answers. */
  private static void awaitExit(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent() && pid != ProcessHandle.current().pid()) { // (a daemon inside this JVM, in tests)
      try {
        process.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        process.get().destroyForcibly();
      }
    }
  }

  /** The daemon sockets in the directory, sorted. */
  static List<Path> sockets(Path dir) throws IOException {
    List<Path> sockets = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return sockets;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.sock")) {
      for (Path p : entries) {
        sockets.add(p);
      }
    }
    Collections.sort(sockets);
    return sockets;
  }

  /**
   * Sends a status or stop request: the status text, or for stop the daemon's pid; empty when no
   * daemon answers (a stale socket is removed).
   */
  private static Optional<String> ask(Path socket, byte kind) throws IOException {
    SocketChannel channel = DaemonClient.connect(socket);
    if (channel == null) {
      Files.deleteIfExists(socket);
      return Optional.empty();
    }
    try (SocketChannel c = channel) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new Protocol.ChannelOutput(c)));
      Protocol.writeRequest(out, kind, false, new String[0]);
      DataInputStream in = new DataInputStream(new BufferedInputStream(new Protocol.ChannelInput(c)));
      long pid = 0;
      while (true) {
        int type = Protocol.readType(in);
        if (type == Protocol.HELLO) {
          in.readInt();
          pid = in.readLong();
        } else if (type == Protocol.TEXT) {
          return Optional.of(Protocol.readString(in));
        } else if (type == Protocol.EXIT) {
          in.readInt();
          return Optional.of(Long.toString(pid));
        } else {
          return Optional.empty();
        }
      }
    }
  }
}
