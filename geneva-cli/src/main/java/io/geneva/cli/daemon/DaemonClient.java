package io.geneva.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The thin client {@code bin/geneva} runs: sends the command to this user's Geneva daemon for this
 * jar, java, JVM options, working directory and environment ({@link DaemonKey}), starting the daemon
 * first if there is none, and copies the daemon's output to its own standard output and error, byte
 * for byte, then exits with the command's exit code.
 *
 * <p>It is a JVM program of a few classes that loads nothing of Geneva's, picocli's or any
 * library's: its own start is the figure users feel. Where the daemon cannot serve a command (it is
 * busy with another, the command is one the daemon does not run, or the daemon cannot start) it exits
 * with {@link #IN_PROCESS} before printing anything, and the launcher runs the command in a fresh
 * JVM as without a daemon.
 *
 * <p>The launcher passes {@code -Dgeneva.jar=<geneva.jar>} and, when the class-data archive exists,
 * {@code -Dgeneva.archive=<file>}, which the daemon then starts with.
 */
public final class DaemonClient {
  /** The exit status that asks the launcher to run the command in a fresh JVM itself. */
  static final int IN_PROCESS = 222;
  /** The longest path a Unix domain socket may have here (Linux's {@code sun_path} is 108 bytes with its NUL). */
  static final int MAX_SOCKET_PATH = 107;

  private final Map<String, String> environment;
  private final Path jar;
  private final String archive;
  private final PrintStream err;
  private final OutputStream stdout;
  private final OutputStream stderr;

  DaemonClient(Map<String, String> environment, Path jar, String archive, PrintStream err, OutputStream stdout,
      OutputStream stderr) {
    this.environment = environment;
    this.jar = jar;
    this.archive = archive;
    this.err = err;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Runs the command in the daemon and exits with its exit code (or {@link #IN_PROCESS}). */
  public static void main(String[] args) {
    String jar = System.getProperty("geneva.jar");
    if (jar == null || jar.isEmpty()) {
      System.err.println("geneva: the daemon client needs -Dgeneva.jar=<geneva.jar>; run it through bin/geneva");
      System.exit(2);
    }
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    OutputStream err = new FileOutputStream(FileDescriptor.err);
    DaemonClient client = new DaemonClient(System.getenv(), Path.of(jar), System.getProperty("geneva.archive", ""),
        System.err, out, err);
    int code;
    if (args.length > 0 && args[0].equals("daemon")) {
      code = new DaemonControl(client).run(args);
    } else {
      code = client.run(args, System.console() != null);
    }
    System.exit(code);
  }

  /** The command's exit code, or {@link #IN_PROCESS}. */
  int run(String[] args, boolean console) {
    if (!routed(args)) {
      return IN_PROCESS;
    }
    long idle;
    try {
      idle = idleSeconds(environment.get("GENEVA_DAEMON_IDLE"));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Path dir;
    DaemonKey key;
    try {
      dir = DaemonDirectory.prepare(DaemonDirectory.of(environment));
      key = key();
    } catch (IOException e) {
      err.println("geneva: not using the Geneva daemon: ".concat(String.valueOf(e.getMessage())));
      return IN_PROCESS;
    }
    Path socket = dir.resolve(key.name().concat(".sock"));
    if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      // A deep GENEVA_HOME (or GENEVA_DAEMON_DIR) runs without a daemon, and says so.
      err.println(cat("geneva: not using the Geneva daemon: its socket path ", socket.toString(), " is longer than ",
          Integer.toString(MAX_SOCKET_PATH), " bytes; set GENEVA_DAEMON_DIR to a shorter directory"));
      return IN_PROCESS;
    }
    SocketChannel channel = connect(socket);
    if (channel == null) {
      try {
        channel = start(dir, key, socket, idle);
      } catch (IOException e) {
        err.println(cat("geneva: the Geneva daemon did not start (", e.getMessage(), "; see ",
            log(dir, key).toString(), "); running in this process"));
        return IN_PROCESS;
      }
    }
    return send(channel, args, console, log(dir, key));
  }

  /**
   * Whether the daemon runs these arguments. Not: {@code bench} (it measures fresh processes and its
   * own JVM), {@code --verbose} (it sets the JVM's logging for good), {@code --plugin-path} (it
   * sets a JVM-wide property for local workers), {@code --no-daemon}.
   */
  static boolean routed(String[] args) {
    boolean command = false;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.equals("--verbose") || a.equals("--no-daemon") || a.equals("--plugin-path")
          || a.startsWith("--plugin-path=")) {
        return false;
      }
      if (!command && !a.startsWith("-")) {
        command = true;
        if (a.equals("bench") || a.equals("daemon")) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code GENEVA_DAEMON_IDLE}: a whole number of seconds, minutes or hours ({@code 90s}, {@code 30m},
   * {@code 2h}); 30 minutes when unset.
   */
  static long idleSeconds(String value) {
    if (value == null || value.isEmpty()) {
      return 30 * 60;
    }
    String problem = cat("geneva: GENEVA_DAEMON_IDLE is '", value,
        "'; set it to how long an idle daemon stays, such as 90s, 30m or 2h");
    char unit = value.charAt(value.length() - 1);
    long scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
    String digits = value.substring(0, value.length() - 1);
    if (scale == 0 || digits.isEmpty() || digits.length() > 9) {
      throw new IllegalArgumentException(problem);
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        throw new IllegalArgumentException(problem);
      }
    }
    long seconds = Long.parseLong(digits) * scale;
    if (seconds == 0) {
      throw new IllegalArgumentException(problem);
    }
    return seconds;
  }

  DaemonKey key() throws IOException {
    return DaemonKey.compute(jar, System.getProperty("java.home"), System.getProperty("java.runtime.version"),
        jvmOptions(), System.getProperty("user.dir"), environment);
  }

  /** The daemon's JVM options: the class-data archive's, when there is one, then {@code GENEVA_JAVA_OPTS}. */
  String[] jvmOptions() {
    List<String> options = new ArrayList<>();
    if (!archive.isEmpty()) {
      if (Runtime.version().feature() >= 25) {
        options.add("-XX:AOTCache=".concat(archive));
        options.add("-Xlog:aot*=off");
      } else {
        options.add("-XX:SharedArchiveFile=".concat(archive));
        options.add("-Xshare:auto");
      }
      options.add("-XX:+VerifySharedSpaces");
      options.add("-Xlog:cds*=off");
    }
    String extra = environment.get("GENEVA_JAVA_OPTS");
    if (extra != null) {
      for (String word : extra.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          options.add(word);
        }
      }
    }
    return options.toArray(new String[0]);
  }

  static Path log(Path dir, DaemonKey key) {
    return dir.resolve(key.name().concat(".log"));
  }

  /** A connection to the daemon at {@code socket}, or null if none answers there. */
  static @Nullable SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    @Nullable SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      close(channel);
      return null;
    }
  }

  /**
   * Starts the daemon, under a lock so that concurrent first runs start one, and connects to it. The
   * daemon says it is ready on its standard output once its socket accepts; no polling. A socket file
   * that no daemon answers (one that died) is replaced.
   */
  private SocketChannel start(Path dir, DaemonKey key, Path socket, long idle) throws IOException {
    try (FileChannel lockFile = FileChannel.open(dir.resolve(key.name().concat(".lock")),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      SocketChannel channel = connect(socket);
      if (channel != null) {
        return channel; // another first run started it while we waited for the lock
      }
      Files.deleteIfExists(socket);
      Path log = log(dir, key);
      rotate(log);
      List<String> command = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.add("/usr/bin/setsid"); // its own session: a Ctrl-C or hang-up in this terminal is not its
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String[] options = jvmOptions();
      for (String o : options) {
        command.add(o);
      }
      command.add("-cp");
      command.add(jar.toString());
      command.add("io.geneva.cli.daemon.DaemonMain");
      command.add(socket.toString());
      command.add(Long.toString(idle));
      command.add(key.hex());
      command.add(key.environmentHex());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = builder.start();
      String line;
      try (InputStream ready = process.getInputStream()) {
        line = readLine(ready);
      }
      if (!line.startsWith("ready")) {
        throw new IOException(line.isEmpty() ? "it exited before its socket was ready" : line);
      }
      channel = connect(socket);
      if (channel == null) {
        throw new IOException("it said it was ready but its socket does not answer");
      }
      return channel;
    }
  }

  /** Keeps a log to about a mebibyte, and one previous one. */
  private static void rotate(Path log) throws IOException {
    if (Files.exists(log) && Files.size(log) > (1 << 20)) {
      Files.move(log, log.resolveSibling(log.getFileName().toString().concat(".1")),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Sends the command and copies the daemon's frames out, until its exit code. */
  private int send(SocketChannel channel, String[] args, boolean console, Path log) {
    long pid = 0;
    try (SocketChannel c = channel) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new Protocol.ChannelOutput(c)));
      Protocol.writeRequest(out, Protocol.RUN, console, args);
      DataInputStream in = new DataInputStream(new BufferedInputStream(new Protocol.ChannelInput(c), 1 << 16));
      while (true) {
        int type = Protocol.readType(in);
        if (type == Protocol.HELLO) {
          in.readInt();
          pid = in.readLong();
        } else if (type == Protocol.OUT || type == Protocol.ERR) {
          byte[] bytes = Protocol.readBytes(in);
          OutputStream target = type == Protocol.OUT ? stdout : stderr;
          target.write(bytes);
          target.flush();
        } else if (type == Protocol.EXIT) {
          return in.readInt();
        } else if (type == Protocol.BUSY || type == Protocol.REFUSED) {
          return IN_PROCESS;
        } else {
          return died(pid, log, type == -1 ? "" : cat(" (unexpected frame ", Integer.toString(type), ")"));
        }
      }
    } catch (IOException e) {
      return died(pid, log, cat(" (", String.valueOf(e.getMessage()), ")"));
    }
  }

  private int died(long pid, Path log, String detail) {
    err.println(cat("geneva: the Geneva daemon", pid == 0 ? "" : cat(" (pid ", Long.toString(pid), ")"),
        " ended before the command did", detail, "; see its log ", log.toString(),
        ", or run with --no-daemon (or GENEVA_DAEMON=off)"));
    return 1;
  }

  static void close(@Nullable SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to do: it was never usable.
      }
    }
  }

  /** Concatenation without {@code invokedynamic}, which would cost this JVM its bootstrap classes. */
  static String cat(String... parts) {
    StringBuilder s = new StringBuilder();
    for (String p : parts) {
      s.append(p);
    }
    return s.toString();
  }

  Map<String, String> environment() {
    return environment;
  }

  PrintStream err() {
    return err;
  }

  OutputStream stdout() {
    return stdout;
  }
}
