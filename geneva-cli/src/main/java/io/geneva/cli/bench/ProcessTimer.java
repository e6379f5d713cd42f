package io.geneva.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a fresh process and measures it: wall time around the process, and, when
 * {@code /usr/bin/time} exists, CPU times and peak RSS through it. Output goes to files in a scratch
 * directory, so a process that prints a lot never blocks on a full pipe.
 */
final class ProcessTimer {
  static final Path TIME = Path.of("/usr/bin/time");

  private final Path scratch;
  private final boolean useTime;
  private int counter;

  /** @param scratch an existing directory for the processes' output files */
  ProcessTimer(Path scratch) {
    this.scratch = scratch;
    this.useTime = Files.isExecutable(TIME);
  }

  /**
   * Runs {@code command} in {@code directory} with {@code environment} added to this process's, and
   * waits for it.
   *
   * @throws BenchException if it exits with a non-zero status (naming the command and the end of its
   *     standard error)
   */
  ProcessRun run(List<String> command, Path directory, Map<String, String> environment) {
    int n = ++counter;
    Path out = scratch.resolve("process-" + n + ".out");
    Path err = scratch.resolve("process-" + n + ".err");
    Path times = scratch.resolve("process-" + n + ".time");
    List<String> full = new ArrayList<>();
    if (useTime) {
      full.addAll(List.of(TIME.toString(), "-f", ProcessRun.TIME_FORMAT, "-o", times.toString()));
    }
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full).directory(directory.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    try {
      long started = System.nanoTime();
      Process process = builder.start();
      int exit = process.waitFor();
      long wall = (System.nanoTime() - started) / 1_000_000;
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (exit != 0) {
        throw new BenchException(
            "the fresh process " + shortCommand(command) + " exited with status " + exit + ": " + tail(err));
      }
      ProcessRun run =
          useTime
              ? withTimes(wall, ProcessRun.parseTime(Files.readString(times, StandardCharsets.UTF_8)), stdout)
              : new ProcessRun(wall, -1, -1, -1, stdout);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      Files.deleteIfExists(times);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + shortCommand(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + shortCommand(command), e);
    }
  }

  private static ProcessRun withTimes(long wall, ProcessRun.TimeFigures t, String stdout) {
    return new ProcessRun(wall, t.userMillis(), t.systemMillis(), t.peakRssKib(), stdout);
  }

  /** The command's first words: a classpath of a thousand jars would bury the message. */
  static String shortCommand(List<String> command) {
    String text = String.join(" ", command);
    return text.length() <= 200 ? text : text.substring(0, 200) + " ...";
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
  }
}
