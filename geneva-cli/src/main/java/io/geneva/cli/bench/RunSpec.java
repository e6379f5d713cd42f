package io.geneva.cli.bench;

import io.geneva.WarmStart;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One {@code geneva run} of the workers bench, as the arguments after the Geneva command: a task
 * over {@value WorkerBench#PARTITIONS} partitions on {@value WorkerBench#WORKERS} local workers, with
 * a home and file store of its own, printing its run report as JSON.
 *
 * @param classpath the shipped classpath, in order
 * @param projectDirectory the project directory (the shipped class directory)
 * @param store the Geneva home and file store
 * @param task the task class
 * @param warmStart how the workers start
 * @param retain whether the workers stay for the next run (otherwise each run starts its own)
 * @param workerJava the {@code java} the workers run
 */
record RunSpec(
    List<Path> classpath,
    Path projectDirectory,
    WorkArea.Store store,
    String task,
    WarmStart warmStart,
    boolean retain,
    Path workerJava) {
  /** How long retained workers wait unused: they outlive a bench that breaks, but not by long. */
  static final Duration RETAINED_IDLE = Duration.ofMinutes(5);

  RunSpec {
    classpath = List.copyOf(classpath);
  }

  RunSpec withStore(WorkArea.Store other, boolean retainWorkers) {
    return new RunSpec(classpath, projectDirectory, other, task, warmStart, retainWorkers, workerJava);
  }

  RunSpec withWarmStart(WarmStart mode, WorkArea.Store other) {
    return new RunSpec(classpath, projectDirectory, other, task, mode, retain, workerJava);
  }

  RunSpec withWorkerJava(Path java) {
    return new RunSpec(classpath, projectDirectory, store, task, warmStart, retain, java);
  }

  /** {@code --warm-start}'s word for a mode: {@code off}, {@code class-path}, {@code class-data-cache}. */
  static String word(WarmStart mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The arguments of {@code geneva run}. */
  List<String> arguments() {
    List<String> args = new ArrayList<>(List.of(
        "run",
        "--classpath", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
        "--project-dir", projectDirectory.toString(),
        "--home", store.home().toString(),
        "--storage", store.storage().toString(),
        "--job", task,
        "--partitions", Integer.toString(WorkerBench.PARTITIONS),
        "--workers", Integer.toString(WorkerBench.WORKERS),
        "--warm-start", word(warmStart),
        "--worker-java", workerJava.toString(),
        "--exit-policy", retain ? "retain" : "delete"));
    if (retain) {
      args.addAll(List.of("--idle-timeout", RETAINED_IDLE.toMinutes() + "m"));
    }
    args.add("--json");
    return List.copyOf(args);
  }
}
