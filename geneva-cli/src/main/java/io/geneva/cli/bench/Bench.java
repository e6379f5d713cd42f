package io.geneva.cli.bench;

import io.geneva.internal.concurrent.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One bench: copies the corpus into the work area; then, unless left out, the fresh-process bench
 * ({@link FreshBench}: floors and scenarios, each a new process); then, unless left out, the in-JVM
 * diagnostic (baselines, then the scenarios in this JVM); then, unless left out, the workers bench
 * ({@link WorkerBench}: {@code geneva run} processes on local workers). Baselines come before the scenarios they
 * are compared with, so the scenarios' file writes cannot slow them down.
 */
final class Bench {
  private final Corpus corpus;
  private final WorkArea area;
  private final int runs;
  private final int warmups;
  private final boolean skipPythonCold;
  private final Optional<GenevaProcess> fresh;
  private final boolean warmJvm;
  private final Optional<WorkerBench.Options> workers;
  private final Clock clock;
  private final Consumer<String> progress;

  /**
   * @param corpus the corpus
   * @param area the work area, empty
   * @param runs measured runs per baseline and scenario
   * @param warmups throwaway cold Geneva runs before the scenarios
   * @param skipPythonCold whether to leave out the Python cold baseline
   * @param fresh the command that starts Geneva's CLI for the fresh-process bench, or empty to leave it out
   * @param warmJvm whether to run the in-JVM diagnostic
   * @param workers the workers bench's Geneva command and JDKs ({@link WorkerBench}), or empty to leave it
   *     out
   * @param clock dates the report and the relocated copies
   * @param progress receives a line per step
   */
  Bench(
      Corpus corpus,
      WorkArea area,
      int runs,
      int warmups,
      boolean skipPythonCold,
      Optional<GenevaProcess> fresh,
      boolean warmJvm,
      Optional<WorkerBench.Options> workers,
      Clock clock,
      Consumer<String> progress) {
    this.corpus = corpus;
    this.area = area;
    this.runs = runs;
    this.warmups = warmups;
    this.skipPythonCold = skipPythonCold;
    this.fresh = fresh;
    this.warmJvm = warmJvm;
    this.workers = workers;
    this.clock = clock;
    this.progress = progress;
  }

  /** Runs everything and returns the report. */
  BenchReport run() throws IOException {
    double loadBefore = BenchReport.systemLoad();
    Instant started = clock.instant();
    Path workspace = area.resolve(Corpus.WORKSPACE);
    Path notebook = area.resolve(Corpus.NOTEBOOK);
    if (fresh.isPresent() || warmJvm) {
      progress.accept("copying the workspace and notebook into " + area.root());
      FileTime unused = FileTime.from(started);
      Trees.copy(corpus.workspace(), workspace, true, unused);
      Trees.copy(corpus.notebook(), notebook, true, unused);
    } else {
      // The workers bench changes nothing in the corpus: the summary counts the originals.
      workspace = corpus.workspace();
      notebook = corpus.notebook();
    }

    List<Path> jars = corpus.depJars();
    List<Path> workspaceFiles = Trees.regularFiles(workspace);
    List<Path> notebookFiles = Trees.regularFiles(notebook);
    BenchReport.CorpusSummary summary =
        new BenchReport.CorpusSummary(
            corpus.root(),
            jars.size(),
            Trees.size(jars),
            workspaceFiles.size(),
            Trees.size(workspaceFiles),
            notebookFiles.size(),
            Trees.size(notebookFiles));
    List<Path> all = new ArrayList<>(jars);
    all.addAll(workspaceFiles);
    all.addAll(notebookFiles);

    Optional<FreshResult> freshResult = Optional.empty();
    if (fresh.isPresent()) {
      freshResult = Optional.of(new FreshBench(corpus, area, runs, fresh.get(), clock, progress).run());
    }
    Optional<Baselines> baselines = Optional.empty();
    List<Scenario> scenarios = List.of();
    if (warmJvm) {
      Baselines measured = measureBaselines(all, List.of(workspace, corpus.deps(), notebook));
      baselines = Optional.of(measured);
      scenarios = new Scenarios(corpus, area, runs, warmups, measured, progress).runAll();
    }
    List<Scenario> workerScenarios = List.of();
    if (workers.isPresent()) {
      workerScenarios = new WorkerBench(corpus, area, runs, workers.get(), clock, Sleeper.SYSTEM, progress).run();
    }
    return new BenchReport(
        summary, runs, warmups, Sessions.PARALLELISM, area, started, freshResult, baselines, scenarios,
        workerScenarios, loadBefore, BenchReport.systemLoad());
  }

  private Baselines measureBaselines(List<Path> files, List<Path> pythonRoots) throws IOException {
    ByteBaselines bytes = new ByteBaselines(files);
    progress.accept("warming the page cache (" + bytes.fileCount() + " files, " + Scenarios.bytes(bytes.bytes()) + ")");
    bytes.warmPageCache();
    List<Long> read = Stats.repeat(runs, bytes::readMillis);
    progress.accept("Java read, 1 thread: " + read + " ms");
    List<Long> sha1 = Stats.repeat(runs, () -> bytes.sha256Millis(1));
    progress.accept("Java SHA-256, 1 thread: " + sha1 + " ms");
    List<Long> sha2 = Stats.repeat(runs, () -> bytes.sha256Millis(2));
    progress.accept("Java SHA-256, 2 threads: " + sha2 + " ms");

    Optional<PythonBaseline> python = PythonBaseline.find(area.root());
    List<Long> warm = List.of();
    List<Long> cold = List.of();
    String warmNote = "";
    String coldNote = "";
    if (python.isEmpty()) {
      warmNote = "python3 not found";
      coldNote = warmNote;
    } else {
      warm = Stats.repeat(runs, () -> python.get().warmMillis(pythonRoots));
      progress.accept("Python warm: " + warm + " ms");
      if (skipPythonCold) {
        coldNote = "skipped (--skip-python-cold)";
      } else {
        cold = Stats.repeat(runs, () -> python.get().coldMillis(pythonRoots));
        progress.accept("Python cold: " + cold + " ms");
      }
    }
    return new Baselines(bytes.fileCount(), bytes.bytes(), read, sha1, sha2, warm, cold, warmNote, coldNote);
  }
}
