package io.geneva.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything one bench measured, as text for people ({@link #text()}, ending with the line {@code
 * bench: N passed, M failed}) and as JSON for machines ({@link #json()}).
 */
final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the corpus holds. */
  record CorpusSummary(
      Path root, int jars, long jarBytes, int workspaceFiles, long workspaceBytes, int notebookFiles, long notebookBytes) {}

  private final CorpusSummary corpus;
  private final int runs;
  private final int warmups;
  private final int parallelism;
  private final Path workDirectory;
  private final boolean workDeleted;
  private final Instant started;
  private final Optional<FreshResult> fresh;
  private final Optional<Baselines> baselines;
  private final List<Scenario> scenarios;
  private final List<Scenario> workers;
  private final double loadBefore;
  private final double loadAfter;

  BenchReport(
      CorpusSummary corpus,
      int runs,
      int warmups,
      int parallelism,
      WorkArea area,
      Instant started,
      Optional<FreshResult> fresh,
      Optional<Baselines> baselines,
      List<Scenario> scenarios,
      List<Scenario> workers,
      double loadBefore,
      double loadAfter) {
    this.corpus = corpus;
    this.runs = runs;
    this.warmups = warmups;
    this.parallelism = parallelism;
    this.workDirectory = area.root();
    this.workDeleted = area.temporary();
    this.started = started;
    this.fresh = fresh;
    this.baselines = baselines;
    this.scenarios = List.copyOf(scenarios);
    this.workers = List.copyOf(workers);
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
  }

  long count(Check.Verdict verdict) {
    return Stream.concat(
            fresh.stream().flatMap(f -> f.checks().stream()),
            Stream.concat(scenarios.stream(), workers.stream()).flatMap(s -> s.checks().stream()))
        .filter(c -> c.verdict() == verdict)
        .count();
  }

  /** The closing line: {@code bench: N passed, M failed}, with the unmeasured count if any. */
  String verdictLine() {
    long na = count(Check.Verdict.NA);
    return "bench: " + count(Check.Verdict.PASS) + " passed, " + count(Check.Verdict.FAIL) + " failed"
        + (na > 0 ? " (" + na + " not measured)" : "");
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append("Geneva bench\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  corpus  %s: deps %d jars (%s) · workspace %,d files (%s) · notebook %d files (%s)%n",
            corpus.root(),
            corpus.jars(),
            Scenarios.bytes(corpus.jarBytes()),
            corpus.workspaceFiles(),
            Scenarios.bytes(corpus.workspaceBytes()),
            corpus.notebookFiles(),
            Scenarios.bytes(corpus.notebookBytes())));
    out.append(
        String.format(
            Locale.ROOT,
            "  setup   medians of %d runs%s · Geneva parallelism %d (in-JVM) · bench JVM: Java %s · %d processors"
                + " · max heap %s%n",
            runs,
            baselines.isPresent() ? " (in-JVM: after " + warmups + " JIT warm-up(s))" : "",
            parallelism,
            Runtime.version(),
            Runtime.getRuntime().availableProcessors(),
            Scenarios.bytes(Runtime.getRuntime().maxMemory())));
    out.append(
        String.format(
            Locale.ROOT,
            "  load    %s at start, %s at the end (1-minute load average; above %d, other work shares the CPUs)%n",
            load(loadBefore),
            load(loadAfter),
            Runtime.getRuntime().availableProcessors()));
    out.append("  date    ").append(started).append(" (UTC)\n");
    out.append("  work    ").append(workDirectory).append(workDeleted ? " (deleted afterwards)" : " (kept)").append('\n');
    fresh.ifPresent(f -> out.append('\n').append(f.text()));
    baselines.ifPresent(b -> out.append('\n').append(warmJvmText(b)));
    if (!workers.isEmpty()) {
      out.append('\n').append("Workers (issue 14): `geneva run` as fresh processes on local workers; first result is"
          + " timed from the command's start inside its JVM; medians. Provision starts the worker JVMs (warm start"
          + " off); warmup is the workers' bootstrap (fetch, verify, class path), and with warm start on also their"
          + " JVM start; job start to first result is the task's first run\n");
      workers.forEach(s -> out.append(scenarioText(s)));
    }
    out.append('\n').append(verdictLine()).append('\n');
    return out.toString();
  }

  private String warmJvmText(Baselines baselines) {
    StringBuilder out = new StringBuilder();
    out.append(
        "In-JVM diagnostic: sessions inside the bench's own JVM after JIT warm-ups (not what users run; the fresh"
            + " processes above are)\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Baselines: %,d files, %s; page cache warm%n",
            baselines.files(),
            Scenarios.bytes(baselines.bytes())));
    TextTable table = new TextTable("baseline", ">median", "runs");
    for (Baselines.Row row : baselines.rows()) {
      OptionalLong median = row.median();
      table.row(
          row.label(),
          median.isPresent() ? Check.millis(median.getAsLong()) : "n/a",
          row.runs().isEmpty() ? row.note() : row.runs().stream().map(String::valueOf).collect(Collectors.joining(" ")) + " ms");
    }
    out.append(table.render("  "));

    for (Scenario s : scenarios) {
      out.append(scenarioText(s));
    }
    return out.toString();
  }

  private static String scenarioText(Scenario s) {
    StringBuilder out = new StringBuilder();
    out.append('\n').append(s.id()).append(". ").append(s.title()).append('\n');
    TextTable checks = new TextTable("measure", ">ours", ">baseline", ">ratio", "target", "result");
    for (Check c : s.checks()) {
      checks.row(c.measure(), c.ours(), c.baseline(), c.ratio(), c.target(), c.verdict().name().replace("NA", "n/a"));
    }
    out.append(checks.render("  "));
    for (String note : s.notes()) {
      out.append("  ").append(note).append('\n');
    }
    return out.toString();
  }

  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("root", corpus.root().toString());
    c.put("jars", corpus.jars());
    c.put("jarBytes", corpus.jarBytes());
    c.put("workspaceFiles", corpus.workspaceFiles());
    c.put("workspaceBytes", corpus.workspaceBytes());
    c.put("notebookFiles", corpus.notebookFiles());
    c.put("notebookBytes", corpus.notebookBytes());
    root.put("corpus", c);
    root.put("started", started.toString());
    root.put("runs", runs);
    root.put("warmups", warmups);
    root.put("parallelism", parallelism);
    root.put("javaVersion", Runtime.version().toString());
    root.put("processors", Runtime.getRuntime().availableProcessors());
    root.put("loadAverageBefore", loadBefore);
    root.put("loadAverageAfter", loadAfter);
    fresh.ifPresent(f -> root.put("fresh", f.toData()));
    baselines.ifPresent(b -> root.put("baselines", b.toData()));
    root.put("scenarios", scenarios.stream().map(BenchReport::scenarioData).toList());
    if (!workers.isEmpty()) {
      root.put("workers", workers.stream().map(BenchReport::scenarioData).toList());
    }
    root.put("passed", count(Check.Verdict.PASS));
    root.put("failed", count(Check.Verdict.FAIL));
    root.put("notMeasured", count(Check.Verdict.NA));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the bench results as JSON", e);
    }
  }

  /** The system's 1-minute load average, or a negative number where the platform has none. */
  static double systemLoad() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String load(double value) {
    return value < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static Map<String, Object> scenarioData(Scenario s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("title", s.title());
    m.put("checks", s.checks().stream().map(BenchReport::checkData).toList());
    m.put("notes", s.notes());
    m.put("data", s.data());
    return m;
  }

  static Map<String, Object> checkData(Check c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measure", c.measure());
    m.put("ours", c.ours());
    m.put("baseline", c.baseline());
    m.put("ratio", c.ratio());
    m.put("target", c.target());
    m.put("result", c.verdict().name());
    return m;
  }
}
