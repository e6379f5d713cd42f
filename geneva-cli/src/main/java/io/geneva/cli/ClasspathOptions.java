package io.geneva.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options that say which classpath to package: the classpath itself, its project, and missing entries. */
final class ClasspathOptions {
  static final String ENVIRONMENT_VARIABLE = "CLASSPATH";

  @Option(
      names = "--classpath",
      paramLabel = "CP",
      description = "The classpath to ship, as java -cp reads it (default: $CLASSPATH).")
  String classpath;

  @Option(
      names = "--project-dir",
      paramLabel = "DIR",
      description = "Classpath directories under it are workspace code (default: the working directory).")
  Path projectDirectory;

  @Option(
      names = "--skip-missing",
      description = "Skip classpath entries that do not exist, with a warning, instead of failing.")
  boolean skipMissing;

  @Option(
      names = "--dependencies-in-image",
      description = "The workers' image holds the dependency jars: record them in the manifest by name and"
          + " SHA-256 instead of uploading them (geneva image-deps lists what the image needs).")
  boolean dependenciesInImage;

  /**
   * The classpath text: {@code --classpath}, or the {@code CLASSPATH} environment variable.
   *
   * @throws ParameterException if neither is given
   */
  String text(CommandSpec spec, GenevaCommand geneva) {
    if (classpath != null) {
      return classpath;
    }
    return geneva
        .environment(ENVIRONMENT_VARIABLE)
        .orElseThrow(
            () -> new ParameterException(spec.commandLine(), "--classpath is required (or set CLASSPATH)"));
  }

  /** Where the classpath came from, for messages. */
  String origin() {
    return classpath != null ? "--classpath" : ENVIRONMENT_VARIABLE;
  }

  /** The classpath's elements, split as the JVM splits {@code -cp}. */
  static List<String> elements(String text) {
    return List.of(text.split(Pattern.quote(File.pathSeparator), -1));
  }

  /**
   * The project directory as a session uses it.
   *
   * @throws ParameterException if {@code --project-dir} names no directory: a typo there would
   *     otherwise silently classify every workspace directory as "other"
   */
  Path projectDirectory(CommandSpec spec) {
    if (projectDirectory != null && !Files.isDirectory(projectDirectory)) {
      throw new ParameterException(
          spec.commandLine(),
          "--project-dir " + projectDirectory
              + (Files.exists(projectDirectory) ? " is not a directory" : " does not exist")
              + "; pass the directory that holds the project's build output, or leave the option out"
              + " to use the working directory");
    }
    return (projectDirectory != null ? projectDirectory : Path.of(System.getProperty("user.dir")))
        .toAbsolutePath()
        .normalize();
  }
}
