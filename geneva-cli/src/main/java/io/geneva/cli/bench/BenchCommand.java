package io.geneva.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geneva bench}: measures Geneva's startup pipeline on the benchmark corpus (see {@code
 * shared/bench/README.md}) against baselines measured in the same run, and prints each ratio beside
 * its target.
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
          + " corpus against baselines measured in the same run: reading and SHA-256 of every byte in Java,"
          + " and the Python \"Geneva method\"; and jobs on warm local workers against a JVM start."
          + " Prints ratios beside targets and `bench: N passed, M failed`.",
      "Build the corpus first with ../shared/bench/make-corpus.sh."
    })
public final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_CORPUS = "/tmp/geneva-bench/corpus";

  @Spec private @Nullable CommandSpec spec;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      defaultValue = DEFAULT_CORPUS,
      description = "The corpus: deps/, workspace/ and notebook/ (default: ${DEFAULT-VALUE}).")
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
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    quietGenevaLogging();
    Corpus opened;
    WorkArea area;
    try {
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
          new Bench(opened, area, runs, warmups, skipPythonCold, line -> {
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
