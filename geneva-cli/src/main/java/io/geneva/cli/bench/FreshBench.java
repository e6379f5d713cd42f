package io.geneva.cli.bench;

import io.geneva.StartupReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The scenarios as users meet them: every Geneva session a fresh process of the CLI ({@code geneva
 * package --json}), beside floors measured as fresh processes in the same run. The floors come first,
 * so Geneva's file writes cannot slow them down. Works on the copies of the workspace and notebook
 * that {@link Bench} made in the work area.
 */
final class FreshBench {
  /** The heap of the memory target: the scale corpus must pack in it. */
  static final String SMALL_HEAP = "-Xmx256m";

  private final Corpus corpus;
  private final WorkArea area;
  private final int runs;
  private final GenevaProcess geneva;
  private final ProcessTimer timer;
  private final Consumer<String> progress;
  private final Path workspace;
  private final Path notebook;
  private final List<Path> jars;
  private final List<Path> classpath;

  private final Clock clock;
  private final BenchDaemons daemons;

  FreshBench(Corpus corpus, WorkArea area, int runs, GenevaProcess geneva, Clock clock, Consumer<String> progress)
      throws IOException {
    this.clock = clock;
    this.corpus = corpus;
    this.area = area;
    this.runs = runs;
    this.geneva = geneva;
    this.progress = progress;
    this.timer = new ProcessTimer(Files.createDirectories(area.resolve("processes")));
    this.workspace = area.resolve(Corpus.WORKSPACE);
    this.notebook = area.resolve(Corpus.NOTEBOOK);
    this.jars = corpus.depJars();
    this.classpath = Sessions.classpath(workspace, jars, notebook);
    this.daemons = new BenchDaemons(geneva);
  }

  /** Measures the floors, then Geneva's scenarios, and returns the rows and checks. */
  FreshResult run() throws IOException {
    FreshResult.Builder result = FreshResult.builder(geneva.description(), runs, corpus.scale());
    floors(result);
    try {
      scenarios(result);
    } finally {
      daemons.stopAll();
    }
    daemons.summary().ifPresent(line -> {
      progress.accept(line);
      result.note(line);
    });
    return result.build();
  }

  private void floors(FreshResult.Builder result) throws IOException {
    List<Path> roots = new ArrayList<>(List.of(workspace));
    roots.add(corpus.deps());
    roots.add(notebook);
    List<String> rootWords = roots.stream().map(Path::toString).toList();
    Map<String, String> none = Map.of();

    result.add(FreshResult.VERSION, "geneva --version (JVM + CLI start, nothing else)",
        repeat(FreshResult.VERSION, () -> timer.run(geneva.command(List.of("--version")), area.root(),
            daemons.environment(area.resolve("version-home"), none))));
    List<String> find = new ArrayList<>(List.of("find"));
    find.addAll(rootWords);
    find.addAll(List.of("-printf", ""));
    result.add(FreshResult.FIND, "find ROOTS -printf '' (stat walk, reference)",
        repeat(FreshResult.FIND, () -> timer.run(find, area.root(), none)));
    result.addFloor(FreshResult.STAT, "Java stat walk of the same files (fresh JVM)",
        repeat(FreshResult.STAT, () -> timer.run(floor(Floors.STAT, rootWords), area.root(), none)));
    result.addFloor(FreshResult.SHA, "Java SHA-256 of every byte, " + Floors.THREADS + " threads (fresh JVM)",
        repeat(FreshResult.SHA, () -> timer.run(floor(Floors.SHA, rootWords), area.root(), none)));
    Path copies = area.resolve("floor-copy");
    List<String> copy = new ArrayList<>(List.of(copies.toString()));
    copy.addAll(rootWords);
    result.addFloor(FreshResult.COPY,
        "Java read + SHA-256 + write of every byte, " + Floors.THREADS + " threads (fresh JVM)",
        repeat(FreshResult.COPY, () -> {
          Trees.delete(copies);
          createDirectories(copies);
          ProcessRun r = timer.run(floor(Floors.COPY, copy), area.root(), none);
          Trees.delete(copies);
          return r;
        }));

    Optional<PythonBaseline> python = PythonBaseline.find(area.root());
    if (python.isEmpty()) {
      result.note("Python \"Geneva method\": python3 not found, its check prints n/a");
    } else {
      List<ProcessRun> warm =
          repeat(FreshResult.PYTHON, () -> timer.run(python.get().command("warm", roots), area.root(), none));
      result.add(FreshResult.PYTHON, "Python \"Geneva method\", unchanged (checksum of path:mtime)", warm,
          warm.stream().map(r -> PythonBaseline.elapsedMillis("warm", r.stdout())).toList());
    }
  }

  private void scenarios(FreshResult.Builder result) throws IOException {
    WorkArea.Store store = null;
    List<Child> cold = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      WorkArea.Store fresh = area.freshStore("fresh-cold-" + i);
      cold.add(logged("cold", i, session(fresh, classpath, area.root(), Map.of())));
      if (store != null) {
        discard(store);
      }
      store = fresh;
    }
    String digest = cold.get(cold.size() - 1).report().manifestDigest();
    result.addGeneva(FreshResult.COLD, "A cold: fresh home and file store", cold);
    result.digests(FreshResult.COLD, cold.stream().map(c -> c.report().manifestDigest()).distinct().toList());

    List<Child> coldSmall = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      WorkArea.Store fresh = area.freshStore("fresh-cold-small-" + i);
      coldSmall.add(logged("cold " + SMALL_HEAP, i, session(fresh, classpath, area.root(), smallHeap())));
      discard(fresh);
    }
    result.addGeneva(FreshResult.COLD_SMALL, "A cold, " + SMALL_HEAP, coldSmall);

    List<Child> unchanged = new ArrayList<>();
    List<Child> unchangedSmall = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      unchanged.add(logged("unchanged", i, session(store, classpath, area.root(), Map.of())));
    }
    // Its environment differs, so with bin/geneva its own daemon: started by this unmeasured run, as
    // the last cold run started the one the unchanged runs above used.
    session(store, classpath, area.root(), smallHeap());
    for (int i = 1; i <= runs; i++) {
      unchangedSmall.add(logged("unchanged " + SMALL_HEAP, i, session(store, classpath, area.root(), smallHeap())));
    }
    result.addGeneva(FreshResult.UNCHANGED, "B unchanged: the cold run's home and store", unchanged);
    result.addGeneva(FreshResult.UNCHANGED_SMALL, "B unchanged, " + SMALL_HEAP, unchangedSmall);
    result.digests(FreshResult.UNCHANGED, unchanged.stream().map(c -> c.report().manifestDigest()).distinct().toList());

    // The long-lived driver: two sessions in one JVM (this one, which has opened none before).
    StartupReport first = Sessions.open(store, classpath, area.root());
    StartupReport second = Sessions.open(store, classpath, area.root());
    progress.accept("unchanged in one JVM: first session " + Check.millis(first.elapsedMillis()) + ", second "
        + Check.millis(second.elapsedMillis()));
    result.secondSession(first, second);

    oneClassChanged(result, store);
    notebook(result, store);
    discard(store);
    relocated(result, digest);
  }

  private void oneClassChanged(FreshResult.Builder result, WorkArea.Store store) throws IOException {
    List<Path> targets = Scenarios.pickClassFiles(workspace, runs);
    List<Child> changed = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Edits.flipMiddleByte(targets.get(i));
      changed.add(logged("one class changed", i + 1, session(store, classpath, area.root(), Map.of())));
    }
    // Flipping a byte twice restores it: the relocated run and the in-JVM scenarios see the corpus's content.
    for (Path target : targets) {
      Edits.flipMiddleByte(target);
    }
    result.addGeneva(FreshResult.ONE_CLASS, "C one class file changed before each run", changed);
  }

  private void notebook(FreshResult.Builder result, WorkArea.Store store) throws IOException {
    Path nbws = area.resolve("fresh-nbws");
    Trees.copy(corpus.notebook(), nbws, true, FileTime.from(clock.instant()));
    Path dataFile = nbws.resolve(Scenarios.NOTEBOOK_DATA_FILE);
    Edits.writeDataFile(dataFile, Scenarios.NOTEBOOK_DATA_BYTES);
    Files.setLastModifiedTime(dataFile, Files.getLastModifiedTime(corpus.notebook().resolve(Corpus.NOTEBOOK_FILE)));
    String original = Files.readString(corpus.notebook().resolve(Corpus.NOTEBOOK_FILE), StandardCharsets.UTF_8);
    List<Path> cp = Sessions.classpath(workspace, jars, nbws);
    List<Child> steady = new ArrayList<>();
    for (int run = 1; run <= Scenarios.NOTEBOOK_RUNS; run++) {
      Edits.rewriteNotebook(nbws.resolve(Corpus.NOTEBOOK_FILE), original, run);
      Child c = logged("notebook", run, session(store, cp, area.root(), Map.of()));
      if (run >= Scenarios.NOTEBOOK_STEADY_FROM) {
        steady.add(c);
      }
    }
    result.addGeneva(FreshResult.NOTEBOOK,
        "D notebook rewritten, runs " + Scenarios.NOTEBOOK_STEADY_FROM + "-" + Scenarios.NOTEBOOK_RUNS, steady);
    Trees.delete(nbws);
  }

  private void relocated(FreshResult.Builder result, String coldDigest) throws IOException {
    Path elsewhere = area.resolve("fresh-relocated");
    FileTime now = FileTime.from(clock.instant());
    Trees.copy(workspace, elsewhere.resolve(Corpus.WORKSPACE), false, now);
    Trees.copy(notebook, elsewhere.resolve(Corpus.NOTEBOOK), false, now);
    WorkArea.Store store = area.freshStore("fresh-relocated");
    List<Path> cp = Sessions.classpath(elsewhere.resolve(Corpus.WORKSPACE), jars, elsewhere.resolve(Corpus.NOTEBOOK));
    Child c = logged("relocated", 1, session(store, cp, elsewhere, Map.of()));
    discard(store);
    Trees.delete(elsewhere);
    result.addGeneva(FreshResult.RELOCATED, "E relocated: copied elsewhere, mtimes now, fresh home and store",
        List.of(c));
    result.relocatedDigest(c.report().manifestDigest(), coldDigest);
  }

  /** A Geneva session in a fresh process, and the startup report it printed. */
  record Child(ProcessRun process, StartupReport report) {}

  private Child session(WorkArea.Store store, List<Path> cp, Path projectDirectory, Map<String, String> env) {
    List<String> args =
        List.of(
            "package",
            "--classpath", cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
            "--home", store.home().toString(),
            "--storage", store.storage().toString(),
            "--project-dir", projectDirectory.toString(),
            "--json");
    ProcessRun run = timer.run(geneva.command(args), projectDirectory, daemons.environment(store.home(), env));
    StartupReport report;
    try {
      report = StartupReport.fromJson(run.stdout());
    } catch (IllegalArgumentException e) {
      throw new BenchException(
          geneva.description() + " package --json printed no startup report (" + e.getMessage() + "); is "
              + GenevaProcess.OPTION + " a Geneva CLI?");
    }
    return new Child(run, report);
  }

  /** Stops the store's Geneva daemons (bin/geneva's), then deletes it. */
  private void discard(WorkArea.Store store) {
    daemons.stop(store.home());
    area.discard(store);
  }

  private Child logged(String scenario, int run, Child c) {
    progress.accept(
        "fresh " + scenario + " run " + run + ": wall " + Check.millis(c.process().wallMillis()) + ", in process "
            + Check.millis(c.report().elapsedMillis()) + ", peak RSS " + c.process().rss() + ", uploaded "
            + Scenarios.bytes(c.report().bytesUploaded()));
    return c;
  }

  private List<ProcessRun> repeat(String what, java.util.function.Supplier<ProcessRun> measurement) {
    List<ProcessRun> out = new ArrayList<>(runs);
    for (int i = 1; i <= runs; i++) {
      ProcessRun r = measurement.get();
      progress.accept("floor " + what + " run " + i + ": wall " + Check.millis(r.wallMillis()) + ", peak RSS " + r.rss());
      out.add(r);
    }
    return out;
  }

  private List<String> floor(String mode, List<String> arguments) {
    List<String> command =
        new ArrayList<>(List.of(GenevaProcess.javaExecutable(), "-cp", GenevaProcess.codeSource().toString(),
            Floors.class.getName(), mode));
    command.addAll(arguments);
    return command;
  }

  private static Map<String, String> smallHeap() {
    // Through the environment, so it reaches the JVM behind any --geneva-command (a launcher script too).
    return Map.of("JAVA_TOOL_OPTIONS", SMALL_HEAP);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + dir, e);
    }
  }
}
