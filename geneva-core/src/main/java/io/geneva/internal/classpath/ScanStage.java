package io.geneva.internal.classpath;

import io.geneva.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * The scan stage of a start: resolves the classpath into entries (a missing one is an error naming it,
 * or a warning), then walks them with one {@code stat} per file, pruned by the excludes.
 */
public final class ScanStage {
  private final List<String> classpath;
  private final String origin;
  private final Path projectDirectory;
  private final boolean skipMissingEntries;
  private final ExcludeMatcher excludes;
  private final Consumer<String> warnings;

  /**
   * @param classpath classpath elements, unexpanded
   * @param origin where the classpath came from, for messages
   * @param projectDirectory entries under it are the workspace
   * @param skipMissingEntries whether a missing entry is a warning rather than an error
   * @param defaultExcludes whether the default excludes apply
   * @param excludes the user's exclude patterns
   * @param warnings receives what the report should warn about
   */
  public ScanStage(
      List<String> classpath,
      String origin,
      Path projectDirectory,
      boolean skipMissingEntries,
      boolean defaultExcludes,
      List<String> excludes,
      Consumer<String> warnings) {
    this.classpath = List.copyOf(classpath);
    this.origin = origin;
    this.projectDirectory = projectDirectory;
    this.skipMissingEntries = skipMissingEntries;
    List<String> patterns = new ArrayList<>(defaultExcludes ? ExcludeMatcher.defaultPatterns() : List.of());
    patterns.addAll(excludes);
    this.excludes = ExcludeMatcher.of(patterns);
    this.warnings = warnings;
  }

  /** The classpath's entries that exist, in order, wildcards expanded. */
  public List<ClasspathEntry> resolve() {
    List<ClasspathEntry> entries =
        new ClasspathResolver(projectDirectory, origin, skipMissingEntries, warnings).resolve(classpath);
    if (entries.isEmpty()) {
      throw new ConfigurationException(
          "the classpath (from " + origin + ") has no entries that exist; pass the directories and jars to ship");
    }
    return entries;
  }

  /** Walks the entries on the pool: every regular file of each, with its size, mtime and file key. */
  public List<ScannedEntry> walk(List<ClasspathEntry> entries, ForkJoinPool pool) {
    return new ClasspathScanner(excludes, warnings).scanAll(entries, pool);
  }
}
