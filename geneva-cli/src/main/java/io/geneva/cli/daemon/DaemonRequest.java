package io.geneva.cli.daemon;

import io.geneva.internal.concurrent.ThreadFactories;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One command the daemon runs for a client: on a thread of its own, with standard output and error
 * (the {@code System} ones too, for the loggers) sent back as frames, then the exit code. A second
 * thread watches the connection: when the client goes away (it ended, or the user pressed Ctrl-C)
 * before the command did, the command's thread is interrupted, and the daemon is free again once
 * the command returns. The log gets the subcommand's name and exit code, never its arguments (they
 * may hold URLs with credentials).
 */
final class DaemonRequest {
  private final SocketChannel channel;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Protocol.Request request;
  private final DaemonServer.Command command;
  private final PrintStream log;
  private final Consumer<DaemonRequest> finished;
  private volatile boolean done;
  private volatile @Nullable Thread worker;

  DaemonRequest(SocketChannel channel, DataInputStream in, DataOutputStream out, Protocol.Request request,
      DaemonServer.Command command, PrintStream log, Consumer<DaemonRequest> finished) {
    this.channel = channel;
    this.in = in;
    this.out = out;
    this.request = request;
    this.command = command;
    this.log = log;
    this.finished = finished;
  }

  void start() {
    worker = ThreadFactories.startDaemon("geneva-daemon-command", this::runCommand);
    ThreadFactories.startDaemon("geneva-daemon-watch", this::watch);
  }

  /** Interrupts the command, once, if it is still running. */
  void cancel(String why) {
    Thread w = worker;
    if (!done && w != null) {
      log.println("cancelling '" + name() + "': " + why);
      w.interrupt();
    }
  }

  /** Whether the command has returned. */
  boolean done() {
    return done;
  }

  private void runCommand() {
    PrintStream stdout = new PrintStream(new BufferedOutputStream(new Frames(Protocol.OUT), 1 << 13), true);
    PrintStream stderr = new PrintStream(new BufferedOutputStream(new Frames(Protocol.ERR), 1 << 13), true);
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    int code = 1;
    try {
      System.setOut(stdout);
      System.setErr(stderr);
      code = command.run(stdout, stderr, request.console, request.args);
    } catch (RuntimeException | Error e) {
      // GenevaCommand turns failures into exit codes; this is a bug, said as the in-process CLI would.
      stderr.println("geneva: internal error: " + e + "; run with --verbose for the stack trace");
      e.printStackTrace(log);
    } finally {
      stdout.flush();
      stderr.flush();
      System.setOut(systemOut);
      System.setErr(systemErr);
      done = true;
      log.println("'" + name() + "' exited " + code);
      log.flush();
      // Free before the exit code goes out: the client's next command may come at once.
      finished.accept(this);
      try {
        synchronized (out) {
          Protocol.writeExit(out, code);
        }
      } catch (IOException e) {
        log.println("'" + name() + "': the client had gone (" + e.getMessage() + ")");
      }
      DaemonClient.close(channel);
    }
  }

  /** The client sends nothing after its request: a read that returns means it has gone. */
  private void watch() {
    try {
      in.read();
    } catch (IOException e) {
      // Closed by the command's end, or the client reset it: either way the read is over.
    }
    if (!done) {
      cancel("the client went away (ended, or Ctrl-C)");
    }
  }

  private String name() {
    for (String a : request.args) {
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return request.args.length == 0 ? "" : request.args[0];
  }

  /** Bytes written to it go to the client as frames of one type. */
  private final class Frames extends OutputStream {
    private final byte type;

    Frames(byte type) {
      this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      synchronized (out) {
        Protocol.writeChunk(out, type, b, off, len);
        out.flush();
      }
    }
  }
}
