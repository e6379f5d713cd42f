package io.geneva.cli.bench;

import io.geneva.ExitPolicy;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.LocalCluster;
import io.geneva.WorkerReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Scenario F, warm workers: what a one-partition job costs on workers that are running and already
 * hold the classpath, against starting a JVM that does nothing ({@link NoopMain}), measured in the
 * same run; and the time from opening a session to its first result, on freshly started workers and on
 * workers an earlier session retained.
 *
 * <p>The shipped classpath is one small directory holding {@link NoopTask}. The first session starts
 * {@value #WORKERS} workers, runs one job on them cold, bootstraps them all and retains them ({@link
 * ExitPolicy#RETAIN}); the second session, with the same cluster spec, must find them warm. Its jobs
 * are the measured ones. The retained workers are stopped by pid at the end, and exit by themselves
 * after {@link #IDLE_TIMEOUT} should the bench break first.
 */
final class WarmWorkers {
  static final int WORKERS = 2;
  /** Jobs run and thrown away before measuring, so the JIT has compiled both sides' job path. */
  static final int THROWAWAY_JOBS = 20;
  static final double MAX_RATIO_TO_JVM_START = 0.10;
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final List<Class<?>> SHIPPED = List.of(NoopTask.class, NoopMain.class);

  private final WorkArea area;
  private final int runs;
  private final Consumer<String> progress;

  /** What the first session, on fresh workers, measured, and the workers it retained. */
  private record Cold(long firstResultNanos, Set<Long> pids) {}

  /** What the second session, on the retained workers, measured. */
  private record Warm(long firstResultNanos, List<WorkerReport> workers, List<Long> jobNanos) {}

  /**
   * @param area the work area
   * @param runs measured JVM starts and warm jobs
   * @param progress receives a line per step
   */
  WarmWorkers(WorkArea area, int runs, Consumer<String> progress) {
    this.area = area;
    this.runs = runs;
    this.progress = progress;
  }

  Scenario run() throws IOException {
    Path classes = writeShippedClasses(area.resolve("warm-classes"), SHIPPED);
    List<Long> jvmStarts = jvmStartNanos(classes);
    WorkArea.Store store = area.freshStore("warm");
    LocalCluster cluster =
        LocalCluster.workers(WORKERS).name("bench-warm").exitPolicy(ExitPolicy.RETAIN).idleTimeout(IDLE_TIMEOUT);
    Set<Long> pids = new LinkedHashSet<>();
    try {
      Cold cold = coldSession(store, classes, cluster, pids);
      Warm warm = warmSession(store, classes, cluster, pids);
      return scenario(jvmStarts, cold, warm);
    } finally {
      stop(pids);
      area.discard(store);
      Trees.delete(classes);
    }
  }

  /**
   * Classes a scenario ships (and a baseline runs), copied out of this program's own into a class
   * directory, an hour old so that no later session sees them as just modified.
   */
  static Path writeShippedClasses(Path root, List<Class<?>> classes) throws IOException {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    for (Class<?> c : classes) {
      String resource = c.getName().replace('.', '/') + ".class";
      Path file = root.resolve(resource);
      Files.createDirectories(file.getParent());
      try (InputStream in = WarmWorkers.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("this program has no " + resource + " to ship");
        }
        Files.copy(in, file);
      }
      Files.setLastModifiedTime(file, old);
    }
    return root;
  }

  /** Starts {@code java -cp <classes> NoopMain} once unmeasured, then {@code runs} times measured. */
  private List<Long> jvmStartNanos(Path classes) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-cp", classes.toString(), NoopMain.class.getName());
    startJvm(command);
    List<Long> nanos = Stats.repeat(runs, () -> startJvm(command));
    progress.accept("F JVM start (java -cp <dir> NoopMain): " + list(nanos));
    return nanos;
  }

  private static long startJvm(List<String> command) {
    long start = System.nanoTime();
    try {
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      int status = p.waitFor();
      long elapsed = System.nanoTime() - start;
      if (status != 0) {
        throw new IllegalStateException("the JVM-start baseline " + String.join(" ", command) + " exited with " + status);
      }
      return elapsed;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the JVM-start baseline " + command.get(0) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the JVM-start baseline", e);
    }
  }

  /**
   * Opens the first session on a fresh home: the time from opening it to the first result of a
   * one-partition job, on workers started for it. Then bootstraps every worker, so the next session
   * finds them all warm, and notes their pids.
   */
  private Cold coldSession(WorkArea.Store store, Path classes, LocalCluster cluster, Set<Long> toStop) {
    long start = System.nanoTime();
    try (GenevaSession session = open(store, classes, cluster)) {
      session.submit(Job.of(NoopTask.class)).join();
      long first = System.nanoTime() - start;
      Set<Long> pids = new LinkedHashSet<>();
      session.warmup().forEach(w -> pids.add(w.pid()));
      toStop.addAll(pids);
      progress.accept("F first result from session open, fresh workers: " + millis(first));
      return new Cold(first, pids);
    }
  }

  /**
   * Opens the second session, which reuses the retained workers: the time to its first result, what
   * each worker did to get ready, and {@code runs} one-partition jobs timed from submit to result.
   */
  private Warm warmSession(WorkArea.Store store, Path classes, LocalCluster cluster, Set<Long> toStop) {
    long start = System.nanoTime();
    try (GenevaSession session = open(store, classes, cluster)) {
      session.submit(Job.of(NoopTask.class)).join();
      long first = System.nanoTime() - start;
      progress.accept("F first result from session open, retained workers: " + millis(first));
      List<WorkerReport> workers = session.warmup();
      workers.forEach(w -> toStop.add(w.pid()));
      for (int i = 0; i < THROWAWAY_JOBS; i++) {
        timeJob(session);
      }
      List<Long> jobs = Stats.repeat(runs, () -> timeJob(session));
      progress.accept("F 1-partition job on warm workers: " + list(jobs));
      return new Warm(first, workers, jobs);
    }
  }

  private static GenevaSession open(WorkArea.Store store, Path classes, LocalCluster cluster) {
    return Geneva.connect(store.storage().toString())
        .home(store.home())
        .classpath(List.of(classes))
        .projectDirectory(classes)
        .parallelism(Sessions.PARALLELISM)
        .cluster(cluster)
        .open();
  }

  private static long timeJob(GenevaSession session) {
    long start = System.nanoTime();
    session.submit(Job.of(NoopTask.class)).join();
    return System.nanoTime() - start;
  }

  private Scenario scenario(List<Long> jvmStarts, Cold cold, Warm warm) {
    long job = Stats.median(warm.jobNanos());
    long jvm = Stats.median(jvmStarts);
    long reusedWarm = warm.workers().stream().filter(w -> w.alreadyReady() && w.packagesFetched() == 0).count();
    boolean allWarm = reusedWarm == WORKERS && warm.workers().size() == WORKERS;
    List<Check> checks = List.of(
        Check.atMostNanos("1-partition job on warm workers / JVM start", job, jvm, MAX_RATIO_TO_JVM_START),
        Check.condition(
            "workers reused by the next session",
            reusedWarm + " of " + warm.workers().size() + " warm, "
                + warm.workers().stream().mapToInt(WorkerReport::packagesFetched).sum() + " packages fetched",
            "all warm, 0 fetched",
            allWarm));
    List<String> notes = List.of(
        "shipped classpath: one directory of " + SHIPPED.size() + " classes; " + WORKERS + " local workers",
        "job runs (submit to result, after " + THROWAWAY_JOBS + " unmeasured): " + list(warm.jobNanos()),
        "JVM start runs (" + NoopMain.class.getSimpleName() + ", the shipped directory as class path): "
            + list(jvmStarts),
        String.format(Locale.ROOT,
            "first result from session open: fresh workers %s, retained warm workers %s (%s faster)",
            millis(cold.firstResultNanos()), millis(warm.firstResultNanos()),
            Check.ratio((double) cold.firstResultNanos() / Math.max(warm.firstResultNanos(), 1))));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("medianJobMicros", micros(job));
    data.put("jobRunsMicros", warm.jobNanos().stream().map(WarmWorkers::micros).toList());
    data.put("medianJvmStartMicros", micros(jvm));
    data.put("jvmStartRunsMicros", jvmStarts.stream().map(WarmWorkers::micros).toList());
    data.put("jobToJvmStartRatio", (double) job / Math.max(jvm, 1));
    data.put("coldFirstResultMillis", TimeUnit.NANOSECONDS.toMillis(cold.firstResultNanos()));
    data.put("warmFirstResultMillis", TimeUnit.NANOSECONDS.toMillis(warm.firstResultNanos()));
    List<Map<String, Object>> workers = new ArrayList<>();
    for (WorkerReport w : warm.workers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", w.worker());
      m.put("pid", w.pid());
      m.put("alreadyReady", w.alreadyReady());
      m.put("packagesFetched", w.packagesFetched());
      workers.add(m);
    }
    data.put("warmSessionWorkers", workers);
    data.put("samePidsAsColdSession",
        warm.workers().stream().map(WorkerReport::pid).collect(Collectors.toSet()).equals(cold.pids()));
    return new Scenario(
        "F",
        "Warm workers: 1-partition jobs on " + WORKERS + " retained local workers vs a JVM start (median of "
            + runs + ")",
        checks,
        notes,
        data);
  }

  /** Stops retained workers, which the bench started, by pid, and waits for them to exit. */
  static void stop(Set<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroy();
        try {
          p.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
        }
      });
    }
  }

  private static long micros(long nanos) {
    return TimeUnit.NANOSECONDS.toMicros(nanos);
  }

  private static String millis(long nanos) {
    return Check.millis(nanos / 1e6);
  }

  private static String list(List<Long> nanos) {
    return nanos.stream().map(n -> String.format(Locale.ROOT, "%,.2f", n / 1e6)).collect(Collectors.joining(" / "))
        + " ms";
  }
}
