package io.geneva.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code geneva bench}: measures Geneva's startup pipeline on the benchmark corpus (see {@code
 * shared/bench/README.md}) against baselines measured in the same run, and prints each ratio beside
 * its target. First as users meet it, every session a fresh process of the CLI beside floors run as
 * fresh processes ({@link FreshBench}); then, as a diagnostic, sessions inside this JVM after JIT
 * warm-ups ({@link Scenarios}); then {@code geneva run} processes on local workers ({@link WorkerBench}).
 *
 * <p>The corpus layout is the contract: {@code deps/} (jars), {@code workspace/} (a class tree) and
 * {@code notebook/} (with {@code analysis.ipynb}). The workspace and notebook are copied into a scratch
 * directory (mtimes kept) because the scenarios modify them; the jars are used in place, read-only.
 *
 * <p>The exit code is 0 whether or not the targets are met (the bench is a measurement, not a test);
 * 2 when the corpus or work directory cannot be used; 1 when the bench itself breaks.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures Geneva's startup (cold, unchanged, one class changed, notebook, relocated) on the benchmark"
          + " corpus (or the scale corpus) against baselines measured in the same run. First every session as a"
          + " fresh process of the CLI (wall time, time in the process, peak RSS) beside floors run as fresh"
          + " processes: a stat walk, SHA-256 of every byte, read + SHA-256 + write of every byte, and the Python"
          + " \"Geneva method\". Then, as a diagnostic, sessions inside this JVM after JIT warm-ups, and jobs on"
          + " warm local workers against a JVM start. Then `geneva run` processes on local workers, with a trivial and"
          + " a heavy task (--no-workers leaves them out; --workers-only runs them alone). Prints ratios beside targets"
          + " and `bench: N passed, M failed`.",
      "Build the corpus first with ../shared/bench/make-corpus.sh (or make-scale-corpus.sh)."
    })
public final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_CORPUS = "/tmp/geneva-bench/corpus";

  @Spec private @Nullable CommandSpec spec;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      defaultValue = DEFAULT_CORPUS,
      description = "The corpus: deps/, workspace/ and notebook/, as make-corpus.sh or make-scale-corpus.sh make it;"
          + " with 1 GiB of jars or more, the scale corpus's targets apply (default: ${DEFAULT-VALUE}).")
  private Path corpus = Path.of(DEFAULT_CORPUS);

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "5",
      description = "Measured runs per scenario and baseline; medians are reported (default: ${DEFAULT-VALUE}).")
  private int runs = 5;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "3",
      description = "Throwaway warm-ups (a cold run and three unchanged runs each) before measuring, as JMH"
          + " warms up (default: ${DEFAULT-VALUE}).")
  private int warmups = 3;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Scratch directory, new or empty, kept afterwards (default: a fresh temporary directory, deleted"
          + " afterwards).")
  private @Nullable Path work;

  @Option(
      names = "--skip-python-cold",
      description = "Skip the Python cold baseline (about 6-7 s per run); its checks print n/a.")
  private boolean skipPythonCold;

  @Option(
      names = GenevaProcess.OPTION,
      paramLabel = "CMD",
      description = "The command that starts Geneva's CLI for the fresh-process scenarios and the workers bench, split"
          + " into words as a"
          + " shell would (no expansion), for example \"geneva-cli/target/bin/geneva\" (default: java -jar with the"
          + " geneva.jar this bench runs from).")
  private @Nullable String genevaCommand;

  @Option(names = "--no-fresh", description = "Leave out the fresh-process scenarios and floors.")
  private boolean noFresh;

  @Option(
      names = "--no-warm-jvm",
      description = "Leave out the in-JVM diagnostic (sessions in this JVM after JIT warm-ups, warm workers).")
  private boolean noWarmJvm;

  @Option(
      names = "--no-workers",
      description = "Leave out the workers bench (`geneva run` processes on local workers: a trivial task on fresh and"
          + " retained workers against a bare java start, a heavy Spark SQL task with warm start off, class path and"
          + " class-data cache, a cache of another JDK skipped).")
  private boolean noWorkers;

  @Option(
      names = "--workers-only",
      description = "Run the workers bench only (the same as --no-fresh --no-warm-jvm); it needs the corpus's deps/.")
  private boolean workersOnly;

  @Option(
      names = "--worker-java",
      paramLabel = "JAVA",
      description = "The java of the JDK the workers bench's workers and its bare java start run, passed to geneva run"
          + " --worker-java; the class-data cache target is for JDK 24+ (default: the java running this bench).")
  private @Nullable Path workerJava;

  @Option(
      names = "--other-java",
      paramLabel = "JAVA",
      description = "The java of another JDK for the workers bench's mismatch check: a cache trained on --worker-java's"
          + " JDK must be skipped there (default: the java running this bench if its JDK differs, else the check is"
          + " n/a).")
  private @Nullable Path otherJava;

  @Option(names = "--json", description = "Print the results as JSON on standard output (the tables go to standard error).")
  private boolean json;

  /** Runs the bench without the {@code geneva} command around it. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine commandLine = spec().commandLine();
    if (runs < 1) {
      throw new CommandLine.ParameterException(commandLine, "--runs must be at least 1, not " + runs);
    }
    if (warmups < 0) {
      throw new CommandLine.ParameterException(commandLine, "--warmup must not be negative, not " + warmups);
    }
    checkParts(commandLine);
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    quietGenevaLogging();
    Corpus opened;
    WorkArea area;
    Optional<GenevaProcess> fresh;
    Optional<WorkerBench.Options> workers;
    try {
      GenevaProcess geneva =
          genevaCommand == null ? GenevaProcess.fromThisJvm() : GenevaProcess.parse(genevaCommand, System.getenv());
      fresh = noFresh || workersOnly ? Optional.empty() : Optional.of(geneva);
      workers = noWorkers ? Optional.empty() : Optional.of(workerOptions(geneva));
      opened = Corpus.open(corpus);
      area = WorkArea.create(Optional.ofNullable(work));
    } catch (BenchException e) {
      err.println("geneva bench: " + e.getMessage());
      err.flush();
      return 2;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory", e);
    }
    try (area) {
      BenchReport report =
          new Bench(opened, area, runs, warmups, skipPythonCold, fresh, !noWarmJvm && !workersOnly, workers,
              Clock.systemUTC(), line -> {
                err.println("bench: " + line);
                err.flush();
              })
              .run();
      if (json) {
        err.print(report.text());
        out.println(report.json());
      } else {
        out.print(report.text());
      }
      return 0;
    } catch (BenchException e) {
      err.println("geneva bench: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      throw new UncheckedIOException("the bench failed: " + e.getMessage(), e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Refuses options that leave nothing to measure or that the parts left out would ignore. */
  private void checkParts(CommandLine commandLine) {
    if (workersOnly && noWorkers) {
      throw new CommandLine.ParameterException(
          commandLine, "--workers-only and --no-workers together leave nothing to measure; drop one of them");
    }
    if (noFresh && noWarmJvm && noWorkers) {
      throw new CommandLine.ParameterException(
          commandLine, "--no-fresh, --no-warm-jvm and --no-workers together leave nothing to measure; drop one of them");
    }
    if (noFresh && noWorkers && genevaCommand != null) {
      throw new CommandLine.ParameterException(
          commandLine,
          GenevaProcess.OPTION + " is for the fresh-process scenarios and the workers bench, which --no-fresh and"
              + " --no-workers leave out; drop one of them");
    }
    if (noWorkers && (workerJava != null || otherJava != null)) {
      throw new CommandLine.ParameterException(
          commandLine,
          (workerJava != null ? "--worker-java" : "--other-java") + " is for the workers bench, which --no-workers"
              + " leaves out; drop one of them");
    }
  }

  /** The workers bench's command and JDKs; the other JDK defaults to this bench's own if it differs. */
  private WorkerBench.Options workerOptions(GenevaProcess geneva) {
    WorkerJdk own = WorkerJdk.thisJvm();
    WorkerJdk workers = workerJava == null ? own : WorkerJdk.of(workerJava, "--worker-java");
    Optional<WorkerJdk> other = otherJava != null
        ? Optional.of(WorkerJdk.of(otherJava, "--other-java"))
        : Optional.of(own).filter(o -> o.differsFrom(workers));
    return new WorkerBench.Options(geneva, workers, other);
  }

  private CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("BenchCommand runs through picocli's CommandLine, which injects its spec");
    }
    return spec;
  }

  /**
   * Geneva logs a line per session at INFO; with dozens of sessions that drowns the tables. Unless
   * the user chose a level (for example with {@code geneva --verbose}), log warnings only.
   */
  private static void quietGenevaLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null
        && System.getProperty("org.slf4j.simpleLogger.log.io.geneva") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.geneva", "warn");
    }
  }
}
