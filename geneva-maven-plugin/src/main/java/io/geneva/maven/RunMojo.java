package io.geneva.maven;

import io.geneva.ClusterSpec;
import io.geneva.ConfigurationException;
import io.geneva.ExitPolicy;
import io.geneva.GenevaException;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobException;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.PartitionReport;
import io.geneva.StartupReport;
import io.geneva.WorkerReport;
import io.geneva.k8s.ClusterSpecFile;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn compile geneva:run -Dgeneva.task=com.acme.MyTask}: packages the project's runtime class
 * path as {@code geneva:package} does, starts (or reuses) local worker JVMs, or the KubeRay cluster of
 * a {@code clusterSpec} file, runs the task class over {@code partitions} and prints the results.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RunMojo extends AbstractGenevaMojo {
  /** Results printed one per line; the rest are counted. */
  static final int RESULTS_SHOWN = 20;
  private static final int RESULT_WIDTH = 120;

  /** The task class to run: implements io.geneva.Task, in the project's classes or runtime dependencies. */
  @Parameter(property = "geneva.task")
  String task;

  /** How many partitions the job runs. */
  @Parameter(property = "geneva.partitions", defaultValue = "1")
  int partitions = 1;

  /** How many attempts a partition gets before the job fails. */
  @Parameter(property = "geneva.maxAttempts")
  Integer maxAttempts;

  /** Job parameters every task sees in TaskContext.parameters(). */
  @Parameter
  Map<String, String> parameters = new LinkedHashMap<>();

  /** More job parameters, from the command line: {@code name=value,name=value}. */
  @Parameter(property = "geneva.parameters")
  String parameterList;

  /** How many local worker JVMs. Default: one per processor. Not with clusterSpec. */
  @Parameter(property = "geneva.workers")
  Integer workers;

  /** What happens to local workers afterwards: delete (default), retain or retain-on-failure. */
  @Parameter(property = "geneva.exitPolicy")
  String exitPolicy;

  /** How long a retained local worker waits unused before it exits: 30s, 10m, 12h, 7d or ISO-8601. */
  @Parameter(property = "geneva.idleTimeout")
  String idleTimeout;

  /**
   * Run on the KubeRay cluster of this YAML spec file (as {@code geneva run --cluster-spec} reads it)
   * instead of local workers; its exitPolicy and idleTimeout apply.
   */
  @Parameter(property = "geneva.clusterSpec")
  File clusterSpec;

  /** This plugin, whose jars give local workers Geneva's runtime. */
  @Parameter(defaultValue = "${plugin}", readonly = true)
  PluginDescriptor plugin;

  @Override
  String goal() {
    return "run";
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    long start = System.nanoTime();
    List<Path> classpath = classpath();
    Job<Object> job = job();
    ClusterSpec cluster = cluster();
    try (URLClassLoader taskLoader = TaskClasses.loader(classpath, getClass().getClassLoader())) {
      TaskClasses.check(task, taskLoader, classpath);
      WorkerClasspath.withRuntimeOf(plugin, () -> runJob(classpath, job, cluster, taskLoader, start));
    } catch (IOException e) {
      throw new MojoExecutionException("cannot close the task class loader: " + e, e);
    }
  }

  private void runJob(List<Path> classpath, Job<Object> job, ClusterSpec cluster, ClassLoader taskLoader,
      long start) throws MojoExecutionException, MojoFailureException {
    try (GenevaSession session = open(sessionBuilder(classpath, cluster))) {
      keep(session.startupReport());
      List<WorkerReport> warm = warmup(session);
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      // A job's results are deserialized with the context loader; their classes are the project's.
      thread.setContextClassLoader(taskLoader);
      try {
        JobResult<Object> result = session.submit(job).join();
        print(session.startupReport(), warm, result, start);
      } catch (JobException e) {
        throw new MojoFailureException("task " + task + " failed: " + e.getMessage(), e);
      } catch (GenevaException e) {
        throw new MojoExecutionException("the job of " + task + " did not finish: " + e.getMessage(), e);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }

  private static List<WorkerReport> warmup(GenevaSession session) throws MojoExecutionException {
    try {
      return session.warmup();
    } catch (GenevaException e) {
      throw new MojoExecutionException("the workers could not start: " + e.getMessage(), e);
    }
  }

  Job<Object> job() throws MojoFailureException {
    if (task == null || task.isBlank()) {
      throw new MojoFailureException("no task class to run: pass -Dgeneva.task=com.acme.MyTask or set <task>"
          + " in the plugin's configuration (a class of this project that implements io.geneva.Task)");
    }
    Job<Object> job;
    try {
      job = Job.of(task.strip()).partitions(partitions);
      if (maxAttempts != null) {
        job = job.maxAttempts(maxAttempts);
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("task (geneva.task), partitions or maxAttempts: " + e.getMessage()
          + "; give a class name such as com.acme.MyTask and counts of at least 1", e);
    }
    for (Map.Entry<String, String> p : allParameters().entrySet()) {
      job = job.parameter(p.getKey(), p.getValue());
    }
    return job;
  }

  private Map<String, String> allParameters() throws MojoFailureException {
    Map<String, String> all = new LinkedHashMap<>(parameters);
    if (parameterList != null && !parameterList.isBlank()) {
      for (String pair : parameterList.split(",")) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw new MojoFailureException("parameters (geneva.parameters) \"" + pair.strip() + "\" is not"
              + " name=value; write -Dgeneva.parameters=name=value,other=value");
        }
        all.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return all;
  }

  ClusterSpec cluster() throws MojoFailureException {
    if (clusterSpec != null) {
      if (workers != null || exitPolicy != null || idleTimeout != null) {
        throw new MojoFailureException("workers, exitPolicy and idleTimeout are for local workers; with"
            + " clusterSpec (" + clusterSpec + "), set exitPolicy and idleTimeout in the spec file and remove"
            + " the others");
      }
      if (!clusterSpec.isFile()) {
        throw new MojoFailureException("clusterSpec (geneva.clusterSpec) " + clusterSpec + " does not exist;"
            + " give the path of a YAML cluster spec (as for geneva cluster up), or remove it to run on local"
            + " workers");
      }
      try {
        return ClusterSpecFile.read(clusterSpec.toPath());
      } catch (ConfigurationException e) {
        throw new MojoFailureException("clusterSpec (geneva.clusterSpec): " + e.getMessage(), e);
      }
    }
    LocalCluster local;
    try {
      local = workers == null ? LocalCluster.defaults() : LocalCluster.workers(workers);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("workers (geneva.workers): " + e.getMessage()
          + "; leave it unset for one per processor", e);
    }
    local = local.exitPolicy(exitPolicy == null ? ExitPolicy.DELETE : exitPolicy(exitPolicy));
    Duration idle = durationOrNull("idleTimeout", idleTimeout);
    if (idle != null) {
      if (idle.isZero()) {
        throw new MojoFailureException("idleTimeout (geneva.idleTimeout) must be longer than 0, not " + idleTimeout);
      }
      local = local.idleTimeout(idle);
    }
    return local;
  }

  static ExitPolicy exitPolicy(String text) throws MojoFailureException {
    String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (ExitPolicy p : ExitPolicy.values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new MojoFailureException("exitPolicy (geneva.exitPolicy) \"" + text + "\" is not one of delete,"
        + " retain, retain-on-failure");
  }

  private void print(StartupReport startup, List<WorkerReport> warm, JobResult<Object> job, long start) {
    getLog().info(String.format(Locale.ROOT, "%d worker%s:", warm.size(), warm.size() == 1 ? "" : "s"));
    for (WorkerReport w : warm) {
      getLog().info("  " + worker(w));
    }
    int count = job.results().size();
    getLog().info(String.format(Locale.ROOT, "job %s of %s: %d partition%s in %,d ms", job.jobId(), task,
        count, count == 1 ? "" : "s", job.elapsed().toMillis()));
    for (int i = 0; i < Math.min(count, RESULTS_SHOWN); i++) {
      PartitionReport p = job.partitions().get(i);
      getLog().info(String.format(Locale.ROOT, "  %d: %s  (%s%s)", p.index(),
          abbreviate(String.valueOf(job.results().get(i))), p.worker(),
          p.attempts() == 1 ? "" : ", " + p.attempts() + " attempts"));
    }
    if (count > RESULTS_SHOWN) {
      getLog().info(String.format(Locale.ROOT, "  … and %,d more", count - RESULTS_SHOWN));
    }
    getLog().info(String.format(Locale.ROOT, "all results %,d ms after the goal started (startup %,d ms)",
        (System.nanoTime() - start) / 1_000_000, startup.elapsedMillis()));
  }

  private static String abbreviate(String text) {
    return text.length() <= RESULT_WIDTH ? text : text.substring(0, RESULT_WIDTH - 1) + "…";
  }

  private static String worker(WorkerReport w) {
    String what = w.alreadyReady()
        ? "warm: had this manifest already"
        : String.format(Locale.ROOT, "fetched %d package%s (%s), %d from the node cache, bootstrap %,d ms",
            w.packagesFetched(), w.packagesFetched() == 1 ? "" : "s", StartupReport.bytes(w.bytesFetched()),
            w.packagesFromCache(), w.bootstrapMillis());
    return String.format(Locale.ROOT, "%s (pid %d): %s", w.worker(), w.pid(), what);
  }
}
