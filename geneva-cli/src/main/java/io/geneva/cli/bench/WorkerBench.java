package io.geneva.cli.bench;

import io.geneva.WarmStart;
import io.geneva.internal.concurrent.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The workers bench (issue 14): {@code geneva run} as fresh processes of the CLI on {@value #WORKERS}
 * local workers, each scenario with a Geneva home and file store of its own under the work area.
 *
 * <ul>
 *   <li>W1, trivial task ({@link NoopTask}): on fresh workers (started by each run, stopped after it)
 *       and on retained workers (started by an unmeasured first run, reused by the measured ones,
 *       stopped by pid at the end), beside a bare {@code java -cp <dir> NoopMain} from the same class
 *       directory, interleaved run by run;
 *   <li>W2, heavy task ({@link HeavyTask}, Spark SQL's parser from the corpus's jars) on fresh workers,
 *       warm start off, class path and class-data cache (trained by the unmeasured first run),
 *       interleaved run by run;
 *   <li>W3, mismatch: a cache trained on the workers' JDK, then a run on another JDK, which must run
 *       correctly without it and say why.
 * </ul>
 *
 * A first run of each kind is not measured: it fills the node cache and the page cache. Timing
 * targets are ratios of runs measured in the same bench.
 */
final class WorkerBench {
  static final int WORKERS = 2;
  static final int PARTITIONS = 2;
  /** What {@link NoopTask} returns over {@value #PARTITIONS} partitions. */
  static final List<String> TRIVIAL_RESULTS = List.of("0", "1");
  static final String SPARK_PARSER = "org/apache/spark/sql/catalyst/parser/CatalystSqlParser$.class";
  /** How long a stored class-data cache may take to appear after its training run (JDK 25 assembles in a JVM). */
  static final Duration ASSEMBLY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final List<WarmStart> HEAVY_MODES =
      List.of(WarmStart.OFF, WarmStart.CLASS_PATH, WarmStart.CLASS_DATA_CACHE);

  /**
   * What the workers bench runs with.
   *
   * @param geneva the command that starts Geneva's CLI
   * @param workers the JDK the workers (and the bare {@code java}) run
   * @param other another JDK for the mismatch check, or empty to leave it out
   */
  record Options(GenevaProcess geneva, WorkerJdk workers, Optional<WorkerJdk> other) {}

  private final Corpus corpus;
  private final WorkArea area;
  private final int runs;
  private final GenevaProcess geneva;
  private final Options jdks;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Consumer<String> progress;
  private final ProcessTimer timer;
  private final BenchDaemons daemons;

  WorkerBench(Corpus corpus, WorkArea area, int runs, Options options, Clock clock, Sleeper sleeper,
      Consumer<String> progress) throws IOException {
    this.corpus = corpus;
    this.area = area;
    this.runs = runs;
    this.geneva = options.geneva();
    this.jdks = options;
    this.clock = clock;
    this.sleeper = sleeper;
    this.progress = progress;
    this.timer = new ProcessTimer(Files.createDirectories(area.resolve("workers-processes")));
    this.daemons = new BenchDaemons(options.geneva());
  }

  /** Runs W1, W2 and W3 and returns them. */
  List<Scenario> run() throws IOException {
    Path trivialClasses = WarmWorkers.writeShippedClasses(area.resolve("workers-trivial-classes"),
        List.of(NoopTask.class, NoopMain.class));
    List<Scenario> scenarios = new ArrayList<>();
    try {
      scenarios.add(trivial(trivialClasses));
      scenarios.add(heavy());
      scenarios.add(mismatch(trivialClasses));
    } finally {
      daemons.stopAll();
    }
    daemons.summary().ifPresent(progress);
    return scenarios;
  }

  private Scenario trivial(Path classes) {
    RunSpec fresh = new RunSpec(List.of(classes), classes, area.freshStore("workers-trivial-fresh"),
        NoopTask.class.getName(), WarmStart.OFF, false, jdks.workers().java());
    RunSpec retained = fresh.withStore(area.freshStore("workers-trivial-retained"), true);
    List<String> bareJava =
        List.of(jdks.workers().java().toString(), "-cp", classes.toString(), NoopMain.class.getName());
    Set<Long> pids = new LinkedHashSet<>();
    try {
      expectTrivial(geneva(fresh, "trivial, fresh workers", 0));
      WorkerRuns.Measured first = geneva(retained, "trivial, retained workers", 0);
      pids.addAll(pids(first));
      expectTrivial(first);
      timer.run(bareJava, classes, Map.of());
      List<ProcessRun> bare = new ArrayList<>();
      List<WorkerRuns.Measured> freshRuns = new ArrayList<>();
      List<WorkerRuns.Measured> retainedRuns = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        ProcessRun b = timer.run(bareJava, classes, Map.of());
        progress.accept("workers bare java run " + i + ": wall " + Check.millis(b.wallMillis()));
        bare.add(b);
        freshRuns.add(expectTrivial(geneva(fresh, "trivial, fresh workers", i)));
        WorkerRuns.Measured r = geneva(retained, "trivial, retained workers", i);
        pids.addAll(pids(r));
        retainedRuns.add(expectTrivial(r));
      }
      return trivialScenario(bare, new WorkerRuns("fresh workers", freshRuns),
          new WorkerRuns("retained workers", retainedRuns));
    } finally {
      WarmWorkers.stop(pids);
      discard(fresh.store());
      discard(retained.store());
    }
  }

  private Scenario trivialScenario(List<ProcessRun> bare, WorkerRuns fresh, WorkerRuns retained) {
    long bareWall = Stats.median(bare.stream().map(ProcessRun::wallMillis).toList());
    List<String> notes = new ArrayList<>();
    notes.add("bare java: " + jdks.workers().java() + " -cp <dir> " + NoopMain.class.getSimpleName() + " ("
        + jdks.workers().describe() + "): wall " + Check.millis(bareWall) + " (runs "
        + String.join(" ", bare.stream().map(b -> String.valueOf(b.wallMillis())).toList()) + " ms)");
    for (WorkerRuns r : List.of(fresh, retained)) {
      notes.add(r.summary());
      notes.addAll(r.breakdown());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("workerJdk", jdks.workers().version());
    data.put("bareJavaMedianWallMillis", bareWall);
    data.put("bareJavaWallMillis", bare.stream().map(ProcessRun::wallMillis).toList());
    data.put("fresh", fresh.data());
    data.put("retained", retained.data());
    return new Scenario("W1",
        "Trivial task: `geneva run` (" + WORKERS + " local workers, warm start off) vs a bare java start, median of "
            + runs,
        WorkerChecks.trivial(fresh.wall(), retained.wall(), bareWall, retained.outputs()), notes, data);
  }

  private Scenario heavy() throws IOException {
    String title = "Heavy task (Spark SQL parser from the corpus's jars) on " + WORKERS
        + " fresh workers: warm start off, class path, class-data cache; median of " + runs;
    List<Path> jars = corpus.depJars();
    if (!hasSparkParser(jars)) {
      return new Scenario("W2", title,
          List.of(WorkerChecks.notMeasured("heavy task: first result, class-data cache / class path",
              "no jar in " + corpus.deps() + " holds Spark SQL's parser", "<= " + Check.ratio(
                  WorkerChecks.CACHE_VS_CLASS_PATH))),
          List.of("the heavy task needs the benchmark corpus's Spark jars; run " + Corpus.MAKE_CORPUS), Map.of());
    }
    Path classes = WarmWorkers.writeShippedClasses(area.resolve("workers-heavy-classes"), List.of(HeavyTask.class));
    List<Path> classpath = new ArrayList<>(List.of(classes));
    classpath.addAll(jars);
    Map<WarmStart, RunSpec> specs = new EnumMap<>(WarmStart.class);
    RunSpec base = new RunSpec(classpath, classes, area.freshStore("workers-heavy-off"), HeavyTask.class.getName(),
        WarmStart.OFF, false, jdks.workers().java());
    List<String> notes = new ArrayList<>();
    for (WarmStart mode : HEAVY_MODES) {
      RunSpec spec = base.withWarmStart(mode, area.freshStore("workers-heavy-" + RunSpec.word(mode)));
      specs.put(mode, spec);
      geneva(spec, "heavy, " + RunSpec.word(mode), 0);
      if (mode == WarmStart.CLASS_DATA_CACHE && !awaitClassData(spec.store(), 1)) {
        notes.add("the training run's class-data cache was not stored within " + ASSEMBLY_TIMEOUT.toMinutes() + " min");
      }
    }
    Map<WarmStart, List<WorkerRuns.Measured>> measured = new EnumMap<>(WarmStart.class);
    for (int i = 1; i <= runs; i++) {
      for (WarmStart mode : HEAVY_MODES) {
        measured.computeIfAbsent(mode, m -> new ArrayList<>()).add(geneva(specs.get(mode), "heavy, " + RunSpec.word(mode), i));
      }
    }
    Map<WarmStart, WorkerRuns> series = new EnumMap<>(WarmStart.class);
    measured.forEach((mode, list) -> series.put(mode, new WorkerRuns("warm start " + RunSpec.word(mode), list)));
    WorkerRuns off = series.get(WarmStart.OFF);
    WorkerRuns classPath = series.get(WarmStart.CLASS_PATH);
    WorkerRuns cache = series.get(WarmStart.CLASS_DATA_CACHE);
    notes.add(String.format(Locale.ROOT, "workers: %s; %d jars + the task's class directory shipped",
        jdks.workers().describe(), jars.size()));
    notes.add(String.format(Locale.ROOT, "first result, class-data cache: %s of class path, %s of warm start off;"
        + " wall %s and %s", Check.ratio((double) cache.firstResult() / Math.max(classPath.firstResult(), 1)),
        Check.ratio((double) cache.firstResult() / Math.max(off.firstResult(), 1)),
        Check.ratio((double) cache.wall() / Math.max(classPath.wall(), 1)),
        Check.ratio((double) cache.wall() / Math.max(off.wall(), 1))));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("workerJdk", jdks.workers().version());
    for (WarmStart mode : HEAVY_MODES) {
      notes.add(series.get(mode).summary());
      notes.addAll(series.get(mode).breakdown());
      data.put(RunSpec.word(mode), series.get(mode).data());
    }
    specs.values().forEach(spec -> discard(spec.store()));
    return new Scenario("W2", title,
        WorkerChecks.heavy(cache.firstResult(), classPath.firstResult(), jdks.workers(), cache.outputs()), notes, data);
  }

  private Scenario mismatch(Path classes) {
    String title = "Mismatch: a class-data cache trained on one JDK, then a run on another";
    String target = "correct without it, reason in the worker report";
    Optional<WorkerJdk> other = jdks.other().filter(o -> o.differsFrom(jdks.workers()));
    if (other.isEmpty()) {
      return new Scenario("W3", title, List.of(WorkerChecks.notMeasured("cache of another JDK",
          "no other JDK; pass --other-java /usr/lib/jvm/<jdk>/bin/java", target)), List.of(), Map.of());
    }
    Optional<String> impossible = WorkerChecks.mismatchImpossible(jdks.workers(), other.get());
    if (impossible.isPresent()) {
      return new Scenario("W3", title, List.of(WorkerChecks.notMeasured("cache of another JDK", impossible.get(),
          target)), List.of(), Map.of());
    }
    WorkArea.Store store = area.freshStore("workers-mismatch");
    RunSpec trained = new RunSpec(List.of(classes), classes, store, NoopTask.class.getName(),
        WarmStart.CLASS_DATA_CACHE, false, jdks.workers().java());
    expectTrivial(geneva(trained, "mismatch, training on " + jdks.workers().describe(), 0));
    boolean stored = awaitClassData(store, 1);
    Optional<RunOutput> run;
    String failure = "";
    try {
      run = Optional.of(geneva(trained.withWorkerJava(other.get().java()), "mismatch, run on " + other.get().describe(),
          1).output());
    } catch (BenchException e) {
      run = Optional.empty();
      failure = e.getMessage();
    }
    // The other JDK's workers train a cache of their own: let it be stored, so no assembler outlives the bench.
    boolean secondStored = awaitClassData(store, 2);
    WorkerChecks.Mismatch m = new WorkerChecks.Mismatch(jdks.workers(), other.get(), stored, run, failure);
    List<String> notes = new ArrayList<>();
    notes.add("trained on " + jdks.workers().describe() + ", then run on " + other.get().describe() + " ("
        + other.get().java() + ")");
    run.ifPresent(r -> r.workers().forEach(w -> notes.add("  " + w.name() + ": " + w.classData())));
    if (!secondStored) {
      notes.add("the other JDK's own cache was not stored within " + ASSEMBLY_TIMEOUT.toMinutes() + " min");
    }
    discard(store);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("trainedJdk", jdks.workers().version());
    data.put("otherJdk", other.get().version());
    data.put("classData", run.map(r -> r.workers().stream().map(RunOutput.Worker::classData).toList()).orElse(List.of()));
    return new Scenario("W3", title, List.of(WorkerChecks.mismatch(m, TRIVIAL_RESULTS)), notes, data);
  }

  /** Stops the store's Geneva daemons (bin/geneva's), then deletes it. */
  private void discard(WorkArea.Store store) {
    daemons.stop(store.home());
    area.discard(store);
  }

  private WorkerRuns.Measured geneva(RunSpec spec, String what, int run) {
    ProcessRun p = timer.run(geneva.command(spec.arguments()), spec.projectDirectory(),
        daemons.environment(spec.store().home(), Map.of()));
    RunOutput o = RunOutput.parse(p.stdout(), geneva.description());
    progress.accept("workers " + what + (run == 0 ? " (not measured)" : " run " + run) + ": wall "
        + Check.millis(p.wallMillis()) + ", first result " + Check.millis(o.firstResultMillis()));
    return new WorkerRuns.Measured(p, o);
  }

  private static WorkerRuns.Measured expectTrivial(WorkerRuns.Measured m) {
    if (!m.output().results().equals(TRIVIAL_RESULTS)) {
      throw new BenchException("geneva run of " + NoopTask.class.getSimpleName() + " returned "
          + m.output().results() + ", not " + TRIVIAL_RESULTS);
    }
    return m;
  }

  private static List<Long> pids(WorkerRuns.Measured m) {
    return m.output().workers().stream().map(RunOutput.Worker::pid).filter(p -> p > 0).toList();
  }

  /** Whether a jar whose name says Spark Catalyst holds Spark SQL's parser (read from its directory, not whole). */
  static boolean hasSparkParser(List<Path> jars) {
    for (Path jar : jars) {
      if (jar.getFileName().toString().contains("catalyst")) {
        try (JarFile f = new JarFile(jar.toFile())) {
          if (f.getEntry(SPARK_PARSER) != null) {
            return true;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + jar, e);
        }
      }
    }
    return false;
  }

  /**
   * Waits until the store holds at least {@code count} class-data records ({@code
   * classdata/<manifest>/<key>.properties}), polling; false if they do not appear in time.
   */
  private boolean awaitClassData(WorkArea.Store store, int count) {
    Instant deadline = clock.instant().plus(ASSEMBLY_TIMEOUT);
    Path root = store.storage().resolve("classdata");
    while (true) {
      if (classDataRecords(root) >= count) {
        return true;
      }
      if (clock.instant().isAfter(deadline)) {
        return false;
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a class-data cache in " + root, e);
      }
    }
  }

  static long classDataRecords(Path classdata) {
    if (!Files.isDirectory(classdata)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(classdata, 2)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".properties") && Files.isRegularFile(p)).count();
    } catch (IOException e) {
      // A record being published right now may vanish from a listing; the next poll sees it.
      return 0;
    }
  }
}
