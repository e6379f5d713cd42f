package io.geneva.cli.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command a fresh-process scenario runs to start Geneva's CLI, before its subcommand and
 * options: by default {@code java -jar geneva.jar} with the jar this bench runs from (or, run from a
 * classes directory as in tests, {@code java -cp <this JVM's classpath> io.geneva.cli.GenevaCommand}),
 * or the words of {@code --geneva-command}, such as a launcher script.
 *
 * @param words the command's words, the program first
 * @param description how the report names it
 */
record GenevaProcess(List<String> words, String description) {
  static final String OPTION = "--geneva-command";
  private static final String MAIN = "io.geneva.cli.GenevaCommand";

  GenevaProcess {
    words = List.copyOf(words);
  }

  /** The default: this JVM's {@code java} running the jar (or classes) this class was loaded from. */
  static GenevaProcess fromThisJvm() {
    Path source = codeSource();
    String java = javaExecutable();
    if (Files.isRegularFile(source)) {
      return new GenevaProcess(List.of(java, "-jar", source.toString()), "java -jar " + source);
    }
    return new GenevaProcess(
        List.of(java, "-cp", System.getProperty("java.class.path"), MAIN), "java -cp <bench classpath> " + MAIN);
  }

  /**
   * The command of {@code --geneva-command}.
   *
   * A program given by a relative path is made absolute against the working directory, since the
   * scenarios run the command in directories of their own.
   *
   * @throws BenchException if the text is empty, badly quoted, or its program is not an executable
   *     file (by path, or on {@code PATH})
   */
  static GenevaProcess parse(String text, Map<String, String> environment) {
    List<String> words = new ArrayList<>(CommandWords.split(text, OPTION));
    String program = words.get(0);
    Optional<Path> resolved = resolve(program, environment.getOrDefault("PATH", ""));
    if (resolved.isEmpty()) {
      throw new BenchException(
          OPTION + " \"" + text + "\": " + program
              + (program.contains("/")
                  ? (Files.exists(Path.of(program)) ? " is not an executable file" : " does not exist")
                  : " is not on PATH")
              + "; pass the command that starts Geneva's CLI, for example " + OPTION
              + " \"geneva-cli/target/bin/geneva\" (build it first) or leave the option out for java -jar geneva.jar");
    }
    // The scenarios run in their own directories: a relative program path names a file from here.
    if (program.contains("/")) {
      words.set(0, resolved.get().toAbsolutePath().normalize().toString());
    }
    return new GenevaProcess(words, text);
  }

  private static Optional<Path> resolve(String program, String path) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, program);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** The command for {@code arguments} (a subcommand and its options). */
  List<String> command(List<String> arguments) {
    List<String> command = new ArrayList<>(words);
    command.addAll(arguments);
    return command;
  }

  /** This JVM's {@code java} launcher. */
  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The jar or classes directory this bench was loaded from. */
  static Path codeSource() {
    try {
      return Path.of(GenevaProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the bench's classes come from", e);
    }
  }
}
