package io.geneva.cli.bench;

import io.geneva.PackageReport;
import io.geneva.StartupReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The six scenarios, each a sequence of Geneva sessions opened in this JVM; A to E are timed by their
 * own {@link StartupReport#elapsedMillis()}:
 *
 * <ol>
 *   <li>A, cold: a fresh home and store every run;
 *   <li>B, unchanged: later runs against the home and store of the last cold run;
 *   <li>C, one class file changed before each run;
 *   <li>D, a notebook directory whose notebook changes before each of six runs, beside a large data
 *       file;
 *   <li>E, the workspace and notebook copied elsewhere with new mtimes, into a fresh home and store;
 *   <li>F, jobs on warm local workers against a JVM start ({@link WarmWorkers}).
 * </ol>
 *
 * B, C and D continue from A's last home and store; E compares its manifest with A's.
 */
final class Scenarios {
  static final long NOTEBOOK_DATA_BYTES = 8L << 20;
  static final String NOTEBOOK_DATA_FILE = "data/big.csv";
  static final int NOTEBOOK_RUNS = 6;
  static final int NOTEBOOK_STEADY_FROM = 4;
  static final long NOTEBOOK_MAX_UPLOAD = 1L << 20;

  private final Corpus corpus;
  private final WorkArea area;
  private final int runs;
  private static final int UNCHANGED_PER_WARMUP = 3;

  private final int warmups;
  private long firstColdInFreshJvm = -1;
  private final Baselines baselines;
  private final Consumer<String> progress;
  private final List<Path> jars;
  private final List<Path> classpath;

  /** What the cold scenario leaves for the others. */
  private record Cold(Scenario scenario, WorkArea.Store store, String digest, long medianMillis) {}

  /**
   * @param corpus the corpus (for pristine copies)
   * @param area the prepared work area, holding the workspace and notebook copies
   * @param runs measured runs per scenario
   * @param warmups throwaway cold runs before the first measured one
   * @param baselines the baselines to compare with
   * @param progress receives a line per session
   */
  Scenarios(
      Corpus corpus, WorkArea area, int runs, int warmups, Baselines baselines, Consumer<String> progress) {
    this.corpus = corpus;
    this.area = area;
    this.runs = runs;
    this.warmups = warmups;
    this.baselines = baselines;
    this.progress = progress;
    this.jars = corpus.depJars();
    this.classpath =
        Sessions.classpath(area.resolve(Corpus.WORKSPACE), jars, area.resolve(Corpus.NOTEBOOK));
  }

  /** Warms the JIT with throwaway cold runs, then runs A to F in order. */
  List<Scenario> runAll() throws IOException {
    warmUp();
    Cold cold = cold();
    List<Scenario> out = new ArrayList<>();
    out.add(cold.scenario());
    out.add(unchanged(cold));
    out.add(oneClassChanged(cold));
    out.add(notebook(cold));
    out.add(relocated(cold));
    out.add(new WarmWorkers(area, runs, progress).run());
    return out;
  }

  /**
   * Warms the JIT as JMH would, with throwaway sessions: each warm-up is a cold run followed by a few
   * unchanged runs on its store, so both paths are compiled before they are measured. The very first
   * cold run, in a JVM that has run nothing yet, is what a program opening one session pays; it is
   * reported beside the cold scenario, not checked.
   */
  private void warmUp() {
    for (int i = 1; i <= warmups; i++) {
      WorkArea.Store store = area.freshStore("warmup");
      StartupReport r = Sessions.open(store, classpath, area.root());
      if (i == 1) {
        firstColdInFreshJvm = r.elapsedMillis();
      }
      long unchanged = 0;
      for (int j = 0; j < UNCHANGED_PER_WARMUP; j++) {
        unchanged = Sessions.open(store, classpath, area.root()).elapsedMillis();
      }
      progress.accept(
          "JIT warm-up " + i + "/" + warmups + ": cold " + Check.millis(r.elapsedMillis()) + ", then unchanged "
              + Check.millis(unchanged) + " (not counted)");
      area.discard(store);
    }
  }


  private Cold cold() {
    List<StartupReport> reports = new ArrayList<>();
    WorkArea.Store kept = null;
    for (int i = 1; i <= runs; i++) {
      WorkArea.Store store = area.freshStore("cold-" + i);
      StartupReport r = Sessions.open(store, classpath, area.root());
      progress.accept("A cold run " + i + "/" + runs + ": " + Check.millis(r.elapsedMillis()));
      reports.add(r);
      if (kept != null) {
        area.discard(kept);
      }
      kept = store;
    }
    long median = Stats.median(elapsed(reports));
    StartupReport typical = Stats.medianItem(reports, StartupReport::elapsedMillis);
    List<String> digests = reports.stream().map(StartupReport::manifestDigest).distinct().toList();
    List<Check> checks =
        List.of(
            Check.atMost(
                "elapsed / SHA-256 on 2 threads", median, OptionalLong.of(baselines.sha256TwoThreadsMillis()), 2.0),
            Check.fasterBy("elapsed vs Python cold", median, baselines.pythonColdMillis(), 5.0));
    List<String> notes = new ArrayList<>();
    notes.add("runs: " + runList(reports));
    if (firstColdInFreshJvm >= 0) {
      notes.add(
          "first session in a fresh JVM (JIT cold, not a check): " + Check.millis(firstColdInFreshJvm));
    }
    notes.add("counters (median run): " + counters(typical));
    notes.add("phases (median run): " + phases(typical));
    notes.add(
        digests.size() == 1
            ? "manifest " + digests.get(0) + " (the same in every run)"
            : "WARNING: cold runs gave different manifests: " + String.join(", ", digests));
    Map<String, Object> data = reportData(reports, median);
    data.put("phasesMillis", typical.phases());
    data.put("manifestDigest", typical.manifestDigest());
    data.put("deterministic", digests.size() == 1);
    Scenario scenario =
        new Scenario("A", "Cold start: fresh home and store each run (median of " + runs + ")", checks, notes, data);
    return new Cold(scenario, kept, reports.get(0).manifestDigest(), median);
  }

  private Scenario unchanged(Cold cold) {
    List<StartupReport> reports = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      StartupReport r = Sessions.open(cold.store(), classpath, area.root());
      progress.accept("B unchanged run " + i + "/" + runs + ": " + Check.millis(r.elapsedMillis()));
      reports.add(r);
    }
    long median = Stats.median(elapsed(reports));
    long maxHashed = reports.stream().mapToLong(StartupReport::bytesHashed).max().orElseThrow();
    long maxUploaded = reports.stream().mapToLong(StartupReport::bytesUploaded).max().orElseThrow();
    List<String> differing =
        reports.stream().map(StartupReport::manifestDigest).filter(d -> !d.equals(cold.digest())).distinct().toList();
    List<Check> checks =
        List.of(
            Check.condition("bytes hashed (largest run)", bytes(maxHashed), "== 0", maxHashed == 0),
            Check.condition("bytes uploaded (largest run)", bytes(maxUploaded), "== 0", maxUploaded == 0),
            Check.condition(
                "manifest digest",
                differing.isEmpty() ? "same as cold" : "differs: " + String.join(", ", differing),
                "== cold's",
                differing.isEmpty()),
            Check.atMost("elapsed / Python warm", median, baselines.pythonWarmMillis(), 0.5));
    StartupReport typical = Stats.medianItem(reports, StartupReport::elapsedMillis);
    List<String> notes =
        List.of(
            "runs: " + runList(reports),
            "counters (median run): " + counters(typical),
            "phases (median run): " + phases(typical));
    Map<String, Object> data = reportData(reports, median);
    data.put("phasesMillis", typical.phases());
    data.put("maxBytesHashed", maxHashed);
    data.put("maxBytesUploaded", maxUploaded);
    data.put("sameManifestAsCold", differing.isEmpty());
    return new Scenario(
        "B", "Unchanged: later runs on the cold run's home and store (median of " + runs + ")", checks, notes, data);
  }

  private Scenario oneClassChanged(Cold cold) throws IOException {
    Path workspace = area.resolve(Corpus.WORKSPACE);
    List<Path> targets = pickClassFiles(workspace, runs);
    List<StartupReport> reports = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Map<String, Object>> perRun = new ArrayList<>();
    double maxShare = 0;
    long packedOfMaxShare = 0;
    long uploadedOfMaxShare = 0;
    for (int i = 0; i < runs; i++) {
      Path target = targets.get(i);
      Edits.flipMiddleByte(target);
      StartupReport r = Sessions.open(cold.store(), classpath, area.root());
      reports.add(r);
      long packed = packedBytes(r, Corpus.WORKSPACE);
      double share = packed == 0 ? 1 : (double) r.bytesUploaded() / packed;
      if (share >= maxShare) {
        maxShare = share;
        packedOfMaxShare = packed;
        uploadedOfMaxShare = r.bytesUploaded();
      }
      String changed = area.root().relativize(target).toString();
      String sent =
          r.packages().stream()
              .filter(PackageReport::uploaded)
              .map(p -> p.source() + " (" + bytes(p.size()) + ": " + p.reason() + ")")
              .collect(Collectors.joining(", "));
      progress.accept("C one-class run " + (i + 1) + "/" + runs + ": " + Check.millis(r.elapsedMillis()));
      notes.add(
          String.format(
              Locale.ROOT,
              "run %d: changed %s; %s; %d package(s) sent: %s; uploaded %s = %s of the workspace's %s packed",
              i + 1,
              changed,
              Check.millis(r.elapsedMillis()),
              r.packagesUploaded(),
              sent.isEmpty() ? "none" : sent,
              bytes(r.bytesUploaded()),
              percent(share),
              bytes(packed)));
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("changedFile", changed);
      run.put("elapsedMillis", r.elapsedMillis());
      run.put("bytesHashed", r.bytesHashed());
      run.put("bytesPacked", r.bytesPacked());
      run.put("bytesUploaded", r.bytesUploaded());
      run.put("packagesUploaded", r.packagesUploaded());
      run.put("workspacePackedBytes", packed);
      run.put("uploadedShareOfWorkspace", share);
      perRun.add(run);
    }
    long median = Stats.median(elapsed(reports));
    List<Integer> uploadedCounts = reports.stream().map(StartupReport::packagesUploaded).toList();
    boolean oneEach = uploadedCounts.stream().allMatch(n -> n == 1);
    List<Check> checks =
        List.of(
            Check.condition(
                "packages uploaded (each run)",
                uploadedCounts.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                "== 1",
                oneEach),
            Check.condition(
                "uploaded / workspace packed (largest run)",
                percent(maxShare) + " (" + bytes(uploadedOfMaxShare) + " of " + bytes(packedOfMaxShare) + ")",
                "<= 5%",
                maxShare <= 0.05),
            Check.atMost("elapsed / cold elapsed", median, OptionalLong.of(cold.medianMillis()), 0.25));
    StartupReport typical = Stats.medianItem(reports, StartupReport::elapsedMillis);
    notes.add("phases (median run): " + phases(typical));
    Map<String, Object> data = reportData(reports, median);
    data.put("runs", perRun);
    data.put("maxUploadedShareOfWorkspace", maxShare);
    return new Scenario(
        "C", "One class file changed before each run (median of " + runs + ")", checks, notes, data);
  }

  private Scenario notebook(Cold cold) throws IOException {
    Path nbws = area.resolve("nbws");
    Trees.copy(corpus.notebook(), nbws, true, FileTime.from(Instant.now()));
    // The data file has been there for a while, like the rest of the corpus: dated as the notebook
    // is, so Geneva's racy-timestamp guard has no reason to hash it again on every run.
    Path dataFile = nbws.resolve(NOTEBOOK_DATA_FILE);
    Edits.writeDataFile(dataFile, NOTEBOOK_DATA_BYTES);
    Files.setLastModifiedTime(
        dataFile, Files.getLastModifiedTime(corpus.notebook().resolve(Corpus.NOTEBOOK_FILE)));
    String original = Files.readString(corpus.notebook().resolve(Corpus.NOTEBOOK_FILE), StandardCharsets.UTF_8);
    List<Path> cp = Sessions.classpath(area.resolve(Corpus.WORKSPACE), jars, nbws);
    List<StartupReport> reports = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Map<String, Object>> perRun = new ArrayList<>();
    long steadyMax = 0;
    for (int run = 1; run <= NOTEBOOK_RUNS; run++) {
      Edits.rewriteNotebook(nbws.resolve(Corpus.NOTEBOOK_FILE), original, run);
      StartupReport r = Sessions.open(cold.store(), cp, area.root());
      reports.add(r);
      if (run >= NOTEBOOK_STEADY_FROM) {
        steadyMax = Math.max(steadyMax, r.bytesUploaded());
      }
      String volatileShard =
          r.packages().stream()
              .filter(p -> p.source().endsWith("#volatile"))
              .map(p -> p.source() + " " + bytes(p.size()))
              .findFirst()
              .orElse("none");
      progress.accept("D notebook run " + run + "/" + NOTEBOOK_RUNS + ": " + Check.millis(r.elapsedMillis()));
      notes.add(
          String.format(
              Locale.ROOT,
              "run %d: uploaded %s in %d package(s); hashed %s; %s; volatile shard: %s",
              run,
              bytes(r.bytesUploaded()),
              r.packagesUploaded(),
              bytes(r.bytesHashed()),
              Check.millis(r.elapsedMillis()),
              volatileShard));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("elapsedMillis", r.elapsedMillis());
      data.put("bytesHashed", r.bytesHashed());
      data.put("bytesUploaded", r.bytesUploaded());
      data.put("packagesUploaded", r.packagesUploaded());
      data.put("volatileShard", volatileShard);
      perRun.add(data);
    }
    List<Check> checks =
        List.of(
            Check.condition(
                "bytes uploaded, runs " + NOTEBOOK_STEADY_FROM + "-" + NOTEBOOK_RUNS + " (largest)",
                bytes(steadyMax),
                "< " + bytes(NOTEBOOK_MAX_UPLOAD) + " each",
                steadyMax < NOTEBOOK_MAX_UPLOAD));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("runs", perRun);
    data.put("steadyMaxBytesUploaded", steadyMax);
    return new Scenario(
        "D",
        "Notebook: nbws/ (the notebook + an 8 MiB " + NOTEBOOK_DATA_FILE + "), " + Corpus.NOTEBOOK_FILE
            + " rewritten before each of " + NOTEBOOK_RUNS + " runs",
        checks,
        notes,
        data);
  }

  private Scenario relocated(Cold cold) throws IOException {
    Path elsewhere = area.resolve("relocated");
    FileTime now = FileTime.from(Instant.now());
    Trees.copy(corpus.workspace(), elsewhere.resolve(Corpus.WORKSPACE), false, now);
    Trees.copy(corpus.notebook(), elsewhere.resolve(Corpus.NOTEBOOK), false, now);
    WorkArea.Store store = area.freshStore("relocated");
    StartupReport r =
        Sessions.open(
            store,
            Sessions.classpath(elsewhere.resolve(Corpus.WORKSPACE), jars, elsewhere.resolve(Corpus.NOTEBOOK)),
            elsewhere);
    progress.accept("E relocated run: " + Check.millis(r.elapsedMillis()));
    area.discard(store);
    Trees.delete(elsewhere);
    boolean same = r.manifestDigest().equals(cold.digest());
    List<Check> checks =
        List.of(
            Check.condition(
                "manifest digest",
                same ? "same as cold" : "differs: " + r.manifestDigest() + " vs " + cold.digest(),
                "== cold's",
                same));
    List<String> notes =
        List.of(
            "run: " + Check.millis(r.elapsedMillis()) + "; counters: " + counters(r),
            "phases: " + phases(r));
    Map<String, Object> data = reportData(List.of(r), r.elapsedMillis());
    data.put("manifestDigest", r.manifestDigest());
    data.put("sameManifestAsCold", same);
    return new Scenario(
        "E",
        "Relocated: workspace + notebook copied elsewhere, mtimes now, fresh home, other store (1 run)",
        checks,
        notes,
        data);
  }

  /** {@code count} different non-empty class files spread over the sorted workspace. */
  static List<Path> pickClassFiles(Path workspace, int count) throws IOException {
    List<Path> classes = new ArrayList<>();
    for (Path f : Trees.regularFiles(workspace)) {
      if (f.getFileName().toString().endsWith(".class") && Files.size(f) > 0) {
        classes.add(f);
      }
    }
    if (classes.size() < count) {
      throw new BenchException(
          Corpus.WORKSPACE + "/ holds " + classes.size() + " class files; scenario C changes one per run and needs "
              + count + "; lower --runs or rebuild the corpus with " + Corpus.MAKE_CORPUS);
    }
    List<Path> picked = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      picked.add(classes.get((int) ((long) (2 * i + 1) * classes.size() / (2L * count))));
    }
    return picked;
  }

  /** Sizes of the packages of the classpath directory named {@code directoryName}, as the report lists them. */
  static long packedBytes(StartupReport report, String directoryName) {
    long sum = 0;
    for (PackageReport p : report.packages()) {
      if (p.source().equals(directoryName) || p.source().startsWith(directoryName + "#")) {
        sum += p.size();
      }
    }
    return sum;
  }

  private static List<Long> elapsed(List<StartupReport> reports) {
    return reports.stream().map(StartupReport::elapsedMillis).toList();
  }

  private static String runList(List<StartupReport> reports) {
    return reports.stream()
            .map(r -> String.format(Locale.ROOT, "%,d", r.elapsedMillis()))
            .collect(Collectors.joining(" / "))
        + " ms";
  }

  private static String counters(StartupReport r) {
    return String.format(
        Locale.ROOT,
        "files %,d · scanned %s · hashed %s (%,d files) · packed %s · uploaded %s in %d packages · %d packages reused"
            + " of %d",
        r.files(),
        bytes(r.bytesScanned()),
        bytes(r.bytesHashed()),
        r.filesHashed(),
        bytes(r.bytesPacked()),
        bytes(r.bytesUploaded()),
        r.packagesUploaded(),
        r.packagesReused(),
        r.packages().size());
  }

  private static String phases(StartupReport r) {
    return r.phases().entrySet().stream()
        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d ms", e.getValue()))
        .collect(Collectors.joining(" · "));
  }

  private static Map<String, Object> reportData(List<StartupReport> reports, long median) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("medianMillis", median);
    data.put("runsMillis", elapsed(reports));
    List<Map<String, Object>> counters = new ArrayList<>();
    for (StartupReport r : reports) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("files", r.files());
      c.put("filesHashed", r.filesHashed());
      c.put("bytesScanned", r.bytesScanned());
      c.put("bytesHashed", r.bytesHashed());
      c.put("bytesPacked", r.bytesPacked());
      c.put("bytesUploaded", r.bytesUploaded());
      c.put("packagesUploaded", r.packagesUploaded());
      c.put("packagesReused", r.packagesReused());
      c.put("packages", r.packages().size());
      c.put("manifestDigest", r.manifestDigest());
      counters.add(c);
    }
    data.put("reports", counters);
    return data;
  }

  static String bytes(long n) {
    return StartupReport.bytes(n);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }
}
