package io.geneva.internal.worker;

import io.geneva.GenevaException;
import io.geneva.StorageException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Scheduler;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.job.TaskSetupException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local worker: listens on a loopback port, lets in connections that present the cluster's token,
 * bootstraps manifests and runs one task at a time. It exits when told to, when its parent session's
 * process exits (if it has one), or after an idle timeout with no connection.
 *
 * <p>Its address goes to a state file, written atomically once it listens: {@code name}, {@code pid},
 * {@code port} and {@code started} (the process start, which tells a reused pid from this process).
 */
public final class WorkerServer {
  /** How long a cancelled task may go on ignoring its interruption before the worker exits. */
  static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

  /**
   * How a worker starts.
   *
   * @param name its name
   * @param stateFile where it writes its address
   * @param tokenFile the cluster's secret, which every connection must present
   * @param cacheDirectory the node cache
   * @param cacheMaxBytes the node cache's bound
   * @param idleTimeout how long it waits without a connection before it exits
   * @param parentPid the session process whose exit ends this worker, or -1
   */
  public record Config(
      String name,
      Path stateFile,
      Path tokenFile,
      Path cacheDirectory,
      long cacheMaxBytes,
      Duration idleTimeout,
      long parentPid) {}

  private final Config config;
  private final byte[] token;
  private final ServerSocket server;
  private final Bootstrapper bootstrapper;
  /** One task at a time: a worker is one slot. */
  private final ExecutorService slot = Executors.newSingleThreadExecutor(ThreadFactories.daemon("geneva-task"));
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong submitted = new AtomicLong();
  /** The number of the work the slot runs now, or 0. */
  private final AtomicLong executing = new AtomicLong();
  private final Clock clock;
  /** Decides when the idle check and a cancelled task's grace period come due. */
  private final Scheduler timer;
  private final AtomicLong lastActive;
  private final CountDownLatch exit = new CountDownLatch(1);

  private WorkerServer(Config config, Clock clock, Scheduler timer) throws IOException {
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.lastActive = new AtomicLong(clock.millis());
    this.token = Files.readString(config.tokenFile()).trim().getBytes(StandardCharsets.US_ASCII);
    NodeCache cache = NodeCache.open(config.cacheDirectory(), config.cacheMaxBytes(), clock);
    this.bootstrapper = new Bootstrapper(cache, config.name(), 4);
    String classPathManifest = System.getProperty(Bootstrapper.CLASS_PATH_MANIFEST, "");
    if (!classPathManifest.isBlank()) {
      URI manifest = URI.create(classPathManifest);
      bootstrapper.classPathManifest(manifest, System.getProperty(Bootstrapper.CLASS_DATA, ""));
      // The manifest is known as the JVM starts: its bootstrap need not wait for the session to ask.
      bootstrapper.bootstrapInBackground(manifest);
    }
    bootstrapper.runtimeClassData(System.getProperty(Bootstrapper.RUNTIME_CLASS_DATA, ""));
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
  }

  /** Binds, writes the state file, and serves in background threads, in real time. */
  public static WorkerServer start(Config config, Clock clock) {
    return start(config, clock, Scheduler.system());
  }

  /**
   * Binds, writes the state file, and serves in background threads; {@code clock} says how long
   * the worker has been idle and {@code timer} when to look again, and when a cancelled task's
   * grace period is over.
   */
  public static WorkerServer start(Config config, Clock clock, Scheduler timer) {
    try {
      WorkerServer w = new WorkerServer(config, clock, timer);
      TrainingClaim.ownFromSystemProperty();
      w.writeState();
      ThreadFactories.startDaemon("geneva-accept", w::acceptLoop);
      w.watchParentAndIdleness();
      System.err.println("geneva worker " + config.name() + " (pid " + ProcessHandle.current().pid()
          + ") listening on " + w.server.getLocalSocketAddress());
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + config.name() + " could not start: " + e, e);
    }
  }

  /** Blocks until the worker is told to exit, its parent exits or it idles out. */
  public void awaitExit() {
    try {
      exit.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdown();
  }

  private void shutdown() {
    try {
      server.close();
    } catch (IOException e) {
      // Exiting anyway.
    }
    try {
      Files.deleteIfExists(config.stateFile());
    } catch (IOException e) {
      // A stale state file is recognized by its dead pid.
    }
    bootstrapper.close();
    slot.shutdownNow();
  }

  private void writeState() throws IOException {
    Properties p = new Properties();
    p.setProperty("name", config.name());
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    p.setProperty("port", Integer.toString(server.getLocalPort()));
    p.setProperty("started", Long.toString(processStart(ProcessHandle.current())));
    StateFile.write(config.stateFile(), p, "geneva local worker");
  }

  /** A process's start time in epoch millis, or 0 where the OS does not say. */
  public static long processStart(ProcessHandle process) {
    return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  private void watchParentAndIdleness() {
    if (config.parentPid() > 0) {
      ProcessHandle.of(config.parentPid()).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> {
            System.err.println("geneva worker " + config.name() + ": session process exited; stopping");
            exit.countDown();
          }),
          exit::countDown);
    }
    scheduleIdleCheck();
  }

  /** Looks, a quarter of the idle timeout from now (0.1 s to 5 s), whether the worker has idled out. */
  private void scheduleIdleCheck() {
    Duration period = Duration.ofMillis(Math.max(100, Math.min(config.idleTimeout().toMillis() / 4, 5_000)));
    timer.schedule(period, () -> {
      long idle = clock.millis() - lastActive.get();
      if (connections.get() == 0 && idle > config.idleTimeout().toMillis()) {
        System.err.println("geneva worker " + config.name() + ": idle for " + config.idleTimeout() + "; stopping");
        exit.countDown();
      } else if (!stopping()) {
        scheduleIdleCheck();
      }
    });
  }

  /** Whether the worker has been told to exit, its parent has exited or it has idled out. */
  public boolean stopping() {
    return exit.getCount() == 0;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        connections.incrementAndGet();
        ThreadFactories.startDaemon("geneva-conn", () -> serve(socket));
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("geneva worker " + config.name() + ": accept failed: " + e);
        }
      }
    }
  }

  private void serve(Socket socket) {
    Map<Long, Slot> running = new ConcurrentHashMap<>();
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      if (!authenticated(socket, in, out)) {
        return;
      }
      while (true) {
        Protocol.Frame frame = Protocol.read(in);
        lastActive.set(clock.millis());
        switch (frame.type()) {
          case Protocol.PING -> reply(out, Protocol.PONG, frame.requestId(), new Protocol.Writer());
          case Protocol.BOOTSTRAP -> {
            URI manifest = URI.create(Protocol.string(frame.payload()));
            long id = frame.requestId();
            running.put(id, submit(() -> bootstrap(out, id, manifest), () -> running.remove(id)));
          }
          case Protocol.RUN -> {
            DataInputStream p = frame.payload();
            URI manifest = URI.create(Protocol.string(p));
            String jobId = Protocol.string(p);
            String taskClass = Protocol.string(p);
            int partition = p.readInt();
            int partitions = p.readInt();
            int attempt = p.readInt();
            Map<String, String> parameters = Protocol.map(p);
            TaskExecution.Context context =
                new TaskExecution.Context(partition, partitions, attempt, jobId, config.name(), parameters);
            long id = frame.requestId();
            running.put(id, submit(() -> run(out, id, manifest, taskClass, context), () -> running.remove(id)));
          }
          case Protocol.CANCEL -> {
            Slot f = running.remove(frame.requestId());
            if (f != null) {
              cancel(f);
            }
          }
          case Protocol.SHUTDOWN -> {
            System.err.println("geneva worker " + config.name() + ": told to stop");
            exit.countDown();
            return;
          }
          default -> throw new IOException("unknown message type " + frame.type());
        }
      }
    } catch (EOFException | SocketException | java.net.SocketTimeoutException e) {
      // The session went away: whatever it started here is no longer wanted.
    } catch (IOException e) {
      System.err.println("geneva worker " + config.name() + ": connection failed: " + e);
    } finally {
      running.values().forEach(this::cancel);
      connections.decrementAndGet();
      lastActive.set(clock.millis());
    }
  }

  /** Work given to the slot: its future, and its number while it runs. */
  private record Slot(Future<?> future, long number) {}

  /** Queues work on the slot; while it runs, {@link #executing} holds its number. */
  private Slot submit(Runnable work, Runnable done) {
    long number = submitted.incrementAndGet();
    Future<?> future = slot.submit(() -> {
      executing.set(number);
      try {
        work.run();
      } finally {
        executing.compareAndSet(number, 0);
        done.run();
      }
    });
    return new Slot(future, number);
  }

  /**
   * Cancels work (its attempt was cancelled, or its session went away). A task that ignores the
   * interruption would keep the slot busy for ever and make every later task wait behind it, so a
   * worker whose cancelled task is still running after {@link #CANCEL_GRACE} exits, to be replaced.
   */
  private void cancel(Slot work) {
    work.future().cancel(true);
    timer.schedule(CANCEL_GRACE, () -> {
      if (executing.get() == work.number()) {
        System.err.println("geneva worker " + config.name() + ": a cancelled task is still running after "
            + CANCEL_GRACE + " and ignores interruption; exiting so that it is replaced");
        exit.countDown();
      }
    });
  }

  private boolean authenticated(Socket socket, InputStream in, OutputStream out) throws IOException {
    socket.setSoTimeout(10_000); // a connection that does not say hello promptly is not a session
    Protocol.Frame hello = Protocol.read(in, Protocol.MAX_HELLO);
    socket.setSoTimeout(0);
    if (hello.type() != Protocol.HELLO) {
      return false;
    }
    int version = hello.payload().readInt();
    byte[] presented = Protocol.string(hello.payload()).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(presented, token) || version != Protocol.VERSION) {
      System.err.println("geneva worker " + config.name() + ": refused a connection with a wrong token or protocol");
      return false;
    }
    reply(out, Protocol.HELLO_OK, hello.requestId(),
        new Protocol.Writer().number(ProcessHandle.current().pid()).string(config.name()));
    return true;
  }

  private void bootstrap(OutputStream out, long id, URI manifest) {
    try {
      WorkerReport r = bootstrapper.bootstrap(manifest).getValue();
      reply(out, Protocol.BOOTSTRAPPED, id, new Protocol.Writer()
          .integer(r.packagesFetched()).integer(r.packagesFromCache()).number(r.bytesFetched())
          .number(r.bootstrapMillis()).bool(r.alreadyReady()).string(r.classData()));
    } catch (RuntimeException e) {
      failure(out, id, e);
    } catch (IOException e) {
      // The session is gone.
    }
  }

  private void run(OutputStream out, long id, URI manifest, String taskClass, TaskExecution.Context context) {
    try {
      Bootstrapper.Prepared prepared = bootstrapper.bootstrap(manifest).getKey();
      byte[] result = TaskExecution.run(prepared, taskClass, context);
      reply(out, Protocol.RESULT, id, new Protocol.Writer().bytes(result));
    } catch (TaskExecution.TaskThrew e) {
      Throwable t = e.getCause();
      try {
        reply(out, Protocol.TASK_FAILED, id, new Protocol.Writer()
            .string(t.getClass().getName()).string(t.getMessage() == null ? "" : t.getMessage())
            .stack(t.getStackTrace()));
      } catch (IOException io) {
        // The session is gone; it retries the partition elsewhere.
      }
    } catch (RuntimeException e) {
      failure(out, id, e);
    } catch (IOException e) {
      // The session is gone.
    }
  }

  private void failure(OutputStream out, long id, RuntimeException e) {
    boolean setup = e instanceof TaskSetupException
        || (e instanceof GenevaException && !(e instanceof StorageException s && s.retryable()));
    String message = e instanceof GenevaException ? e.getMessage() : e.toString();
    System.err.println("geneva worker " + config.name() + ": " + message);
    try {
      reply(out, setup ? Protocol.SETUP_FAILED : Protocol.FAILED, id, new Protocol.Writer().string(message));
    } catch (IOException io) {
      // The session is gone.
    }
  }

  private static void reply(OutputStream out, byte type, long id, Protocol.Writer writer) throws IOException {
    synchronized (out) {
      writer.send(out, type, id);
    }
  }
}
