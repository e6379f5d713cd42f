package io.geneva.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geneva.ClusterSpec;
import io.geneva.ConfigurationException;
import io.geneva.ExitPolicy;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import io.geneva.WarmStart;
import io.geneva.WorkerReport;
import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.classpath.ClasspathResolver;
import io.geneva.k8s.ClusterSpecFile;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code geneva run}: packages a classpath, starts (or reuses) a local cluster, warms its workers up
 * with the classpath, runs one job of a task class over partitions, and prints the results with what
 * the run cost, including how long the first result took from the moment the command started.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Packages a classpath, warms up a cluster with it (local worker JVMs, or a KubeRay cluster), runs a task"
          + " class over partitions and prints"
          + " the results.",
      "Without --storage, packages into the embedded default storage under the Geneva home."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand private GenevaCommand geneva;
  @Spec private CommandSpec spec;
  @Mixin private StorageRootOption storage;
  @Mixin private HomeOption home;
  @Mixin private ClasspathOptions classpath;

  @Option(names = "--job", required = true, paramLabel = "CLASS",
      description = "The task class to run (implements io.geneva.Task), on the shipped classpath.")
  private String taskClass;

  @Option(names = "--partitions", required = true, paramLabel = "N", description = "How many partitions to run.")
  private int partitions;

  @Option(names = "--workers", paramLabel = "W",
      description = "How many local worker JVMs (default: one per processor, as LocalCluster.defaults(); or --cluster-spec).")
  private @Nullable Integer workers;

  @Option(names = "--cluster-spec", paramLabel = "FILE",
      description = "Run on the KubeRay cluster of this spec file (as for geneva cluster up) instead of local workers;"
          + " its exitPolicy says what happens to the cluster afterwards.")
  private @Nullable Path clusterSpec;

  @Option(names = "--exit-policy", paramLabel = "POLICY", converter = ExitPolicyConverter.class,
      defaultValue = "delete",
      description = "What happens to the workers afterwards: delete, retain (a later run with the same settings"
          + " reuses them) or retain-on-failure (default: ${DEFAULT-VALUE}).")
  private ExitPolicy exitPolicy;

  @Option(names = "--warm-start", paramLabel = "MODE",
      description = "How local workers start: off (generic workers, the default), class-path (the manifest's jars"
          + " on the worker's class path) or class-data-cache (also a class-data cache per manifest and JDK,"
          + " trained by the first worker and used by later ones).")
  private @Nullable String warmStart;

  @Option(names = "--worker-java", paramLabel = "JAVA",
      description = "The java executable local workers run, for example /usr/lib/jvm/<jdk>/bin/java (default: the"
          + " java running this command); a warm-start class-data cache is kept per JDK.")
  private @Nullable Path workerJava;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a retained worker waits unused before it exits: 30s, 10m, 12h, 7d or ISO-8601"
          + " (default: 30m).")
  private Duration idleTimeout;

  @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long one attempt of a partition may run before it is abandoned, its worker stopped and"
          + " the partition retried: 30s, 10m, 12h, 7d or ISO-8601 (default: 1h).")
  private @Nullable Duration taskTimeout;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "A job parameter every task sees in TaskContext.parameters(); repeatable.")
  private Map<String, String> parameters = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print the results, partitions, workers, timing and startup report as JSON.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    long commandStart = System.nanoTime();
    checkOptions();
    @Nullable ClusterSpec specFromFile = null;
    if (clusterSpec != null) {
      // Exit 2, as geneva cluster does for the same file: a spec that is missing or wrong is bad input.
      try {
        specFromFile = ClusterSpecFile.read(clusterSpec);
      } catch (ConfigurationException e) {
        geneva.err().println("geneva: " + ClusterCommand.oneLine(e.getMessage()));
        return 2;
      }
    }
    String classpathText = classpath.text(spec, geneva);
    Job<Object> job = job();
    FirstResult firstResult = new FirstResult(commandStart,
        geneva.terminal() ? new ConsoleProgress(geneva.err()) : ProgressListener.NONE);
    try (GenevaSession session = sessionBuilder(classpathText, specFromFile).progressListener(firstResult).open();
        URLClassLoader taskLoader = ResultClassLoader.over(entries(classpathText), getClass().getClassLoader())) {
      List<WorkerReport> warmup = session.warmup();
      JobResult<Object> result = ResultClassLoader.withContextLoader(taskLoader, () -> session.submit(job).join());
      RunReport report = new RunReport(session.startupReport(), warmup, result, firstResult.millis(),
          millisSince(commandStart), firstResult.phases());
      // Printed before the session closes: the results' classes come from the task loader.
      print(report);
    }
    return 0;
  }

  private void checkOptions() {
    if (partitions < 1) {
      throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, not " + partitions);
    }
    if (workers != null && clusterSpec != null) {
      throw new ParameterException(spec.commandLine(),
          "--workers and --cluster-spec cannot both be given; choose local workers or the KubeRay cluster");
    }
    if (workers != null && workers < 1) {
      throw new ParameterException(spec.commandLine(), "--workers must be at least 1, not " + workers);
    }
    if (clusterSpec != null && (spec.commandLine().getParseResult().hasMatchedOption("--exit-policy")
        || idleTimeout != null)) {
      throw new ParameterException(spec.commandLine(), "--exit-policy and --idle-timeout are for local workers;"
          + " with --cluster-spec, set exitPolicy and idleTimeout in the spec file");
    }
    if (warmStart != null && clusterSpec != null) {
      throw new ParameterException(spec.commandLine(), "--warm-start is for local workers; drop it with --cluster-spec");
    }
    warmStartSetting();
    if (workerJava != null) {
      if (clusterSpec != null) {
        throw new ParameterException(spec.commandLine(), "--worker-java is for local workers; drop it with --cluster-spec");
      }
      if (!Files.isRegularFile(workerJava) || !Files.isExecutable(workerJava)) {
        throw new ParameterException(spec.commandLine(), "--worker-java " + workerJava
            + (Files.exists(workerJava) ? " is not an executable file" : " does not exist")
            + "; pass a java executable, such as /usr/lib/jvm/<jdk>/bin/java, or leave the option out");
      }
    }
    if (taskTimeout != null && taskTimeout.isZero()) {
      throw new ParameterException(spec.commandLine(), "--task-timeout must be longer than 0, not " + taskTimeout);
    }
    if (idleTimeout != null && idleTimeout.isZero()) {
      throw new ParameterException(spec.commandLine(), "--idle-timeout must be longer than 0, not "
          + DurationConverter.format(idleTimeout));
    }
  }

  private Job<Object> job() {
    Job<Object> job;
    try {
      job = Job.of(taskClass).partitions(partitions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--job " + e.getMessage());
    }
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      job = job.parameter(p.getKey(), p.getValue());
    }
    if (taskTimeout != null) {
      job = job.taskTimeout(taskTimeout);
    }
    return job;
  }

  /** {@code --warm-start} as a setting: off, class-path or class-data-cache (any case, '_' or '-'). */
  private WarmStart warmStartSetting() {
    if (warmStart == null) {
      return WarmStart.OFF;
    }
    String normalized = warmStart.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (WarmStart w : WarmStart.values()) {
      if (w.name().equals(normalized)) {
        return w;
      }
    }
    throw new ParameterException(spec.commandLine(), "--warm-start \"" + warmStart + "\" is not a warm-start mode;"
        + " use off, class-path or class-data-cache");
  }

  /** {@code --workers} local workers, or as many as the API's default: one per processor. */
  static LocalCluster localCluster(@Nullable Integer workers) {
    return workers != null ? LocalCluster.workers(workers) : LocalCluster.defaults();
  }

  private GenevaSession.Builder sessionBuilder(String classpathText, @Nullable ClusterSpec specFromFile) {
    ClusterSpec cluster;
    if (specFromFile != null) {
      cluster = specFromFile;
    } else {
      LocalCluster local = localCluster(workers).exitPolicy(exitPolicy).warmStart(warmStartSetting());
      if (workerJava != null) {
        local = local.javaExecutable(workerJava.toAbsolutePath());
      }
      cluster = idleTimeout != null ? local.idleTimeout(idleTimeout) : local;
    }
    return storage.text().map(Geneva::connect).orElseGet(Geneva::connect)
        .home(home.resolve())
        .classpath(classpathText)
        .skipMissingEntries(classpath.skipMissing)
        .dependenciesInImage(classpath.dependenciesInImage)
        .projectDirectory(classpath.projectDirectory(spec))
        .cluster(cluster);
  }

  /** The classpath's entries as the session resolved them (it has already reported any missing one). */
  private List<ClasspathEntry> entries(String classpathText) {
    return new ClasspathResolver(classpath.projectDirectory(spec), classpath.origin(), true, warning -> {})
        .resolve(ClasspathOptions.elements(classpathText));
  }

  private void print(RunReport report) throws JsonProcessingException {
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      geneva.out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson(mapper)));
    } else {
      geneva.out().print(report.summary());
      geneva.out().flush();
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /**
   * Notes when the first partition of the job finished and when each phase started and finished, and
   * passes every event on. Thread-safe.
   */
  private static final class FirstResult implements ProgressListener {
    private final long commandStart;
    private final ProgressListener next;
    private final Map<ProgressEvent.Phase, long[]> phaseNanos = new EnumMap<>(ProgressEvent.Phase.class);
    private long firstNanos;
    private boolean seen;

    FirstResult(long commandStart, ProgressListener next) {
      this.commandStart = commandStart;
      this.next = next;
    }

    @Override
    public void onEvent(ProgressEvent event) {
      long now = System.nanoTime();
      if (event.phase() == ProgressEvent.Phase.JOB && event.type() == ProgressEvent.Type.PROGRESS) {
        noteFirst(now);
      }
      notePhase(event, now);
      next.onEvent(event);
    }

    private synchronized void noteFirst(long now) {
      if (!seen) {
        firstNanos = now;
        seen = true;
      }
    }

    /** The first start and the last end of each phase ({@code -1}: not yet). */
    private synchronized void notePhase(ProgressEvent event, long now) {
      long[] span = phaseNanos.computeIfAbsent(event.phase(), p -> new long[] {-1, -1});
      if (event.type() == ProgressEvent.Type.STARTED && span[0] < 0) {
        span[0] = now;
      } else if (event.type() == ProgressEvent.Type.FINISHED) {
        span[1] = now;
      }
    }

    /** Milliseconds from the command's start to the first finished partition (-1 if none finished). */
    synchronized long millis() {
      return seen ? TimeUnit.NANOSECONDS.toMillis(firstNanos - commandStart) : -1;
    }

    /** Each phase that started, in milliseconds from the command's start. */
    synchronized Map<ProgressEvent.Phase, RunReport.Span> phases() {
      Map<ProgressEvent.Phase, RunReport.Span> out = new EnumMap<>(ProgressEvent.Phase.class);
      phaseNanos.forEach((phase, span) -> {
        if (span[0] >= 0) {
          out.put(phase, new RunReport.Span(TimeUnit.NANOSECONDS.toMillis(span[0] - commandStart),
              span[1] < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(span[1] - commandStart)));
        }
      });
      return out;
    }
  }
}
