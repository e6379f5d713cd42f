package io.geneva.internal.cluster;

import io.geneva.StorageException;
import io.geneva.TaskFailedException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.job.TaskSetupException;
import io.geneva.internal.job.Worker;
import io.geneva.internal.job.WorkerLostException;
import io.geneva.internal.worker.Protocol;
import io.geneva.spi.JobRequest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's connection to one local worker. Requests are written under a lock; one reader thread
 * hands replies to the futures waiting for them. When the connection ends (the worker died, even by
 * {@code kill -9}), every waiting future fails with {@link WorkerLostException}, which says that the
 * worker ran out of memory when its log says so (workers run with {@code -XX:+ExitOnOutOfMemoryError}).
 *
 * <p>Thread-safe.
 */
final class WorkerClient implements Worker, AutoCloseable {
  private final String name;
  private final long pid;
  private final Path log;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Protocol.Frame>> waiting = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private WorkerClient(String name, long pid, Path log, Socket socket, InputStream in, OutputStream out) {
    this.name = name;
    this.pid = pid;
    this.log = log;
    this.socket = socket;
    this.in = in;
    this.out = out;
  }

  /**
   * Connects and presents the token.
   *
   * @throws IOException if the worker cannot be reached or refuses the token
   */
  static WorkerClient connect(String expectedName, int port, String token, Duration timeout, Path log)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      new Protocol.Writer().integer(Protocol.VERSION).string(token).send(out, Protocol.HELLO, 0);
      Protocol.Frame hello = Protocol.read(in);
      if (hello.type() != Protocol.HELLO_OK) {
        throw new IOException("worker on port " + port + " did not accept the cluster token");
      }
      long pid = hello.payload().readLong();
      String name = Protocol.string(hello.payload());
      if (!name.equals(expectedName)) {
        throw new IOException("port " + port + " is worker " + name + ", not " + expectedName);
      }
      socket.setSoTimeout(0);
      WorkerClient client = new WorkerClient(name, pid, log, socket, in, out);
      ThreadFactories.startDaemon("geneva-worker-" + name, client::readLoop);
      return client;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  long pid() {
    return pid;
  }

  boolean alive() {
    return !closed;
  }

  /** Bootstraps the manifest on the worker. */
  CompletableFuture<WorkerReport> bootstrap(URI manifest) {
    return request(Protocol.BOOTSTRAP, new Writer(w -> w.string(manifest.toString()))).thenApply(frame -> {
      DataInputStream p = frame.payload();
      try {
        return WorkerReport.builder(name)
            .pid(pid)
            .packagesFetched(p.readInt())
            .packagesFromCache(p.readInt())
            .bytesFetched(p.readLong())
            .bootstrapMillis(p.readLong())
            .alreadyReady(p.readBoolean())
            .classData(Protocol.string(p))
            .build();
      } catch (IOException e) {
        throw new WorkerLostException("worker " + name + " sent a malformed reply: " + e, e);
      }
    });
  }

  @Override
  public CompletableFuture<byte[]> run(JobRequest request, int partition, int attempt) {
    long id = ids.incrementAndGet();
    CompletableFuture<Protocol.Frame> reply = send(id, Protocol.RUN, new Writer(w -> w
        .string(request.manifestUri().toString()).string(request.jobId()).string(request.taskClass())
        .integer(partition).integer(request.partitions()).integer(attempt).map(request.parameters())));
    CompletableFuture<byte[]> result = reply.thenApply(frame -> {
      try {
        return Protocol.bytes(frame.payload());
      } catch (IOException e) {
        throw new WorkerLostException("worker " + name + " sent a malformed result: " + e, e);
      }
    });
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        waiting.remove(id);
        sendQuietly(id, Protocol.CANCEL);
      }
    });
    return result;
  }

  /** Kills the worker process (its task ran past the job's timeout and may ignore interruption). */
  @Override
  public void stop() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    close();
  }

  /** Asks the worker process to exit. */
  void shutdown() {
    sendQuietly(ids.incrementAndGet(), Protocol.SHUTDOWN);
    close();
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  private CompletableFuture<Protocol.Frame> request(byte type, Writer writer) {
    return send(ids.incrementAndGet(), type, writer);
  }

  private CompletableFuture<Protocol.Frame> send(long id, byte type, Writer writer) {
    CompletableFuture<Protocol.Frame> reply = new CompletableFuture<>();
    waiting.put(id, reply);
    try {
      Protocol.Writer w = new Protocol.Writer();
      writer.fill.accept(w);
      synchronized (out) {
        w.send(out, type, id);
      }
    } catch (IOException | RuntimeException e) {
      waiting.remove(id);
      reply.completeExceptionally(lost(e));
    }
    if (closed) {
      // The reader may have drained the waiting futures before this one was added.
      CompletableFuture<Protocol.Frame> f = waiting.remove(id);
      if (f != null) {
        f.completeExceptionally(lost(null));
      }
    }
    return reply;
  }

  private void sendQuietly(long id, byte type) {
    try {
      synchronized (out) {
        new Protocol.Writer().send(out, type, id);
      }
    } catch (IOException e) {
      // The worker is gone, which is what a cancel or shutdown wants anyway.
    }
  }

  private void readLoop() {
    Throwable cause = null;
    try {
      while (true) {
        Protocol.Frame frame = Protocol.read(in);
        CompletableFuture<Protocol.Frame> f = waiting.remove(frame.requestId());
        if (f != null) {
          complete(f, frame);
        }
      }
    } catch (IOException | RuntimeException e) {
      cause = e;
    } finally {
      closed = true;
      WorkerLostException lost = lost(cause);
      waiting.values().forEach(f -> f.completeExceptionally(lost));
      waiting.clear();
      try {
        socket.close();
      } catch (IOException e) {
        // Already broken.
      }
    }
  }

  private void complete(CompletableFuture<Protocol.Frame> f, Protocol.Frame frame) throws IOException {
    DataInputStream p = frame.payload();
    switch (frame.type()) {
      case Protocol.TASK_FAILED -> {
        String cls = Protocol.string(p);
        String message = Protocol.string(p);
        f.completeExceptionally(new TaskFailedException(cls, message, Protocol.stack(p)));
      }
      case Protocol.SETUP_FAILED -> f.completeExceptionally(new TaskSetupException(Protocol.string(p)));
      case Protocol.FAILED -> f.completeExceptionally(
          new StorageException("worker " + name + ": " + Protocol.string(p), null, true));
      default -> f.complete(frame);
    }
  }

  private WorkerLostException lost(Throwable cause) {
    return new WorkerLostException("worker " + name + " (pid " + pid + ") is gone: "
        + (cause == null ? "its connection closed" : "its connection failed (" + cause + ")")
        + (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? "" : "; its process has exited")
        + outOfMemory(log),
        cause);
  }

  /** What the worker's log says about running out of memory, or empty: its last 64 KiB are read. */
  static String outOfMemory(Path log) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
      channel.position(size - tail.capacity());
      while (tail.hasRemaining() && channel.read(tail) > 0) {
        // Reading the tail.
      }
      String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
      String found = "";
      for (String line : text.split("\\R")) {
        if (line.contains("java.lang.OutOfMemoryError")) {
          found = line.strip();
        }
      }
      return found.isEmpty() ? "" : "; it ran out of memory (" + found + ", in its log " + log + "): give"
          + " workers more heap with LocalCluster.jvmOptions(List.of(\"-Xmx...\")), or make the task use less";
    } catch (IOException e) {
      return "";
    }
  }

  /** Fills a request's payload. */
  private record Writer(IoConsumer fill) {}

  @FunctionalInterface
  private interface IoConsumer {
    void accept(Protocol.Writer w) throws IOException;
  }

  @Override
  public String toString() {
    return "worker " + name + " (pid " + pid + ")";
  }
}
