package io.geneva.cli.daemon;

import io.geneva.cli.GenevaCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The Geneva daemon's JVM, started by {@link DaemonClient} with the client's working directory,
 * environment and JVM options: {@code DaemonMain <socket> <idle seconds> <key> <environment digest>}.
 * It binds the socket, says {@code ready} on its standard output (the client waits for that line),
 * and serves until idle, stopped, or its jar changes. It ignores SIGINT and SIGHUP, so a Ctrl-C or a
 * closed terminal that reaches it does not end it; its standard error is its log.
 */
public final class DaemonMain {
  /** How often an idle daemon looks at its idle time, its jar and its socket file. */
  private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

  private DaemonMain() {}

  /** Runs the daemon; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: DaemonMain <socket> <idle seconds> <key> <environment digest>");
      System.exit(2);
    }
    ignore("INT");
    ignore("HUP");
    PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    PrintStream ready = System.out;
    System.setOut(log);
    System.setErr(log);
    // Logging starts here, so that what slf4j says once per JVM (about its providers) goes to the
    // log, not to the first client's standard error.
    LoggerFactory.getILoggerFactory();
    DaemonServer.Identity identity = new DaemonServer.Identity(args[2], args[3], jar());
    DaemonServer server = new DaemonServer(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), identity,
        Clock.systemUTC(), log, GenevaCommand::launch, CHECK_EVERY);
    try {
      server.bind();
    } catch (IOException e) {
      ready.println("cannot listen on " + args[0] + ": " + e.getMessage());
      ready.flush();
      server.log("cannot listen on " + args[0] + ": " + e);
      System.exit(1);
    }
    server.log("started, pid " + ProcessHandle.current().pid() + ", java " + System.getProperty("java.runtime.version"));
    ready.println("ready " + ProcessHandle.current().pid());
    ready.flush();
    server.serve();
    server.log("stopped");
    // Threads a command left behind (a local cluster's, say) end with the JVM.
    System.exit(0);
  }

  private static void ignore(String signal) {
    try {
      Signal.handle(new Signal(signal), SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException e) {
      // Already ignored (inherited), or the JVM's own: setsid keeps terminal signals away anyway.
    }
  }

  private static Path jar() {
    try {
      return Path.of(DaemonMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell which jar the daemon runs", e);
    }
  }
}
