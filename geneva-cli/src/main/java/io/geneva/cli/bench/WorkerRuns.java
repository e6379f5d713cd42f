package io.geneva.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The measured {@code geneva run} processes of one kind in the workers bench, with their medians and
 * the breakdown of the median run.
 *
 * @param label what the runs are, for people
 * @param runs every measured run
 */
record WorkerRuns(String label, List<WorkerRuns.Measured> runs) {
  /** One {@code geneva run} process: as the bench measured it, and the run report it printed. */
  record Measured(ProcessRun process, RunOutput output) {}

  WorkerRuns {
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs of " + label);
    }
  }

  /** Median process wall time. */
  long wall() {
    return Stats.median(runs.stream().map(m -> m.process().wallMillis()).toList());
  }

  /** Median time from the command's start (inside its JVM) to the first result. */
  long firstResult() {
    return Stats.median(runs.stream().map(m -> m.output().firstResultMillis()).toList());
  }

  /** The run whose wall time is the median's: its breakdown represents the runs. */
  Measured typical() {
    return Stats.medianItem(runs, m -> m.process().wallMillis());
  }

  List<RunOutput> outputs() {
    return runs.stream().map(Measured::output).toList();
  }

  /** One line: medians and every run. */
  String summary() {
    return String.format(Locale.ROOT, "%s: wall %s (runs %s ms), first result %s after the command started (runs %s"
        + " ms)", label, Check.millis(wall()), join(runs.stream().map(m -> m.process().wallMillis()).toList()),
        Check.millis(firstResult()), join(runs.stream().map(m -> m.output().firstResultMillis()).toList()));
  }

  /**
   * Where the median run's time went: outside the CLI's own clock (its JVM start, the session's close,
   * which stops fresh workers, and the exit), until the
   * manifest was written, provisioning and warming up the workers, and from the job's start to its
   * first result; then each worker's bootstrap and class-data line.
   */
  List<String> breakdown() {
    Measured t = typical();
    RunOutput o = t.output();
    StringBuilder phases = new StringBuilder();
    phases.append(String.format(Locale.ROOT, "  median run: outside the command's clock (CLI JVM start, session close,"
        + " exit) %s", millisOrNa(
        o.totalMillis() < 0 ? -1 : t.process().wallMillis() - o.totalMillis())));
    phases.append(", packaged after ").append(millisOrNa(o.packagedMillis()));
    phases.append(", provision ").append(millisOrNa(o.phase("provision").map(RunOutput.Span::millis).orElse(-1L)));
    phases.append(", warmup ").append(millisOrNa(o.phase("warmup").map(RunOutput.Span::millis).orElse(-1L)));
    phases.append(", job start to first result ").append(millisOrNa(o.jobToFirstResultMillis()));
    String workers = o.workers().stream()
        .map(w -> w.name() + " " + (w.alreadyReady() ? "already ready" : "bootstrap " + Check.millis(w.bootstrapMillis())
            + ", " + w.packagesFetched() + " fetched") + (w.classData().isEmpty() ? "" : "; " + w.classData()))
        .collect(Collectors.joining(" | "));
    return List.of(phases.toString(), "  workers: " + workers);
  }

  Map<String, Object> data() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("medianWallMillis", wall());
    d.put("medianFirstResultMillis", firstResult());
    d.put("wallMillis", runs.stream().map(m -> m.process().wallMillis()).toList());
    d.put("firstResultMillis", runs.stream().map(m -> m.output().firstResultMillis()).toList());
    d.put("totalMillis", runs.stream().map(m -> m.output().totalMillis()).toList());
    d.put("jobMillis", runs.stream().map(m -> m.output().jobMillis()).toList());
    d.put("peakRssKib", runs.stream().map(m -> m.process().peakRssKib()).toList());
    RunOutput o = typical().output();
    Map<String, Object> phases = new LinkedHashMap<>();
    o.phases().forEach((name, span) -> phases.put(name, List.of(span.startMillis(), span.endMillis())));
    d.put("medianRunPhasesMillis", phases);
    d.put("medianRunWorkers", o.workers().stream().map(w -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", w.name());
      m.put("pid", w.pid());
      m.put("bootstrapMillis", w.bootstrapMillis());
      m.put("packagesFetched", w.packagesFetched());
      m.put("alreadyReady", w.alreadyReady());
      m.put("classData", w.classData());
      return m;
    }).toList());
    return d;
  }

  private static String millisOrNa(long ms) {
    return ms < 0 ? "n/a" : Check.millis(ms);
  }

  private static String join(List<Long> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
