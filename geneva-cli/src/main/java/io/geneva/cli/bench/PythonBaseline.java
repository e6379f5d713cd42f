package io.geneva.cli.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Python "Geneva method" peer: {@code geneva_method.py} (a resource of this package) extracted
 * into the work directory and run with {@code python3}. The script times itself, so interpreter
 * start-up is not counted, and prints its elapsed seconds as the last line of its output.
 */
final class PythonBaseline {
  static final String SCRIPT = "geneva_method.py";
  private static final String PYTHON = "python3";

  private final String python;
  private final Path script;
  private final Path workDirectory;

  private PythonBaseline(String python, Path script, Path workDirectory) {
    this.python = python;
    this.script = script;
    this.workDirectory = workDirectory;
  }

  /**
   * The baseline, with its script extracted into {@code workDirectory}, or empty if {@code python3}
   * cannot be started here.
   */
  static Optional<PythonBaseline> find(Path workDirectory) throws IOException {
    Optional<String> python = interpreter();
    if (python.isEmpty()) {
      return Optional.empty();
    }
    Path script = workDirectory.resolve(SCRIPT);
    try (InputStream in = PythonBaseline.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the geneva jar (io/geneva/cli/bench/)");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return Optional.of(new PythonBaseline(python.get(), script, workDirectory));
  }

  /**
   * The interpreter's own path, asked once: {@code python3} is often a launcher shim (pyenv) that
   * costs most of a second per start, which would otherwise dominate the bench's wall time.
   */
  private static Optional<String> interpreter() {
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        return Optional.empty();
      }
      return Optional.of(!out.isEmpty() && Files.isExecutable(Path.of(out)) ? out : PYTHON);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Checksums the (path, mtime) of every file of each root; zips nothing. Milliseconds. */
  long warmMillis(List<Path> roots) {
    return run("warm", roots);
  }

  /** Checksums each root, then zips each into one zip at deflate level 1. Milliseconds. */
  long coldMillis(List<Path> roots) {
    return run("cold", roots);
  }

  /** The command that runs the script in {@code mode} over {@code roots}, for a caller that times the whole process. */
  List<String> command(String mode, List<Path> roots) {
    List<String> command = new ArrayList<>(List.of(python, script.toString(), mode));
    roots.forEach(r -> command.add(r.toString()));
    return command;
  }

  /** The directory the script runs in (its zips go to a temporary directory under it). */
  Path workDirectory() {
    return workDirectory;
  }

  private long run(String mode, List<Path> roots) {
    try {
      Process p =
          new ProcessBuilder(command(mode, roots)).directory(workDirectory.toFile()).redirectErrorStream(true).start();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      p.getInputStream().transferTo(output);
      int exit = p.waitFor();
      String text = output.toString(StandardCharsets.UTF_8).strip();
      if (exit != 0) {
        throw new IllegalStateException(SCRIPT + " " + mode + " exited with " + exit + ": " + text);
      }
      return elapsedMillis(mode, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + SCRIPT, e);
    }
  }

  /** The script's own elapsed time, in milliseconds, from the last line of its output (seconds). */
  static long elapsedMillis(String mode, String output) {
    String text = output.strip();
    String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1).strip();
    try {
      return Math.round(Double.parseDouble(last) * 1000);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(SCRIPT + " " + mode + " printed no elapsed seconds: " + text, e);
    }
  }
}
