package io.geneva.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark corpus, as {@code make-corpus.sh} lays it out. The layout is the contract:
 *
 * <ul>
 *   <li>{@value #DEPS}/ holds the dependency jars (every {@code *.jar} directly in it);
 *   <li>{@value #WORKSPACE}/ is a {@code target/classes}-like tree with {@code .class} files (in the
 *       scale corpus of {@code make-scale-corpus.sh}, ten copies of one in {@code m0/} to {@code m9/});
 *       it is one classpath directory;
 *   <li>{@value #NOTEBOOK}/ holds {@value #NOTEBOOK_FILE}, the file that changes on every run, and a
 *       few small files.
 * </ul>
 *
 * @param root the corpus directory
 */
record Corpus(Path root) {
  static final String DEPS = "deps";
  static final String WORKSPACE = "workspace";
  static final String NOTEBOOK = "notebook";
  static final String NOTEBOOK_FILE = "analysis.ipynb";
  static final int SCALE_DEPS_GIB = 1;
  static final String MAKE_CORPUS = "../shared/bench/make-corpus.sh";

  /**
   * The corpus at {@code root}.
   *
   * @throws BenchException naming what is missing and the script that builds it
   */
  static Corpus open(Path root) {
    Path dir = root.toAbsolutePath().normalize();
    for (String part : List.of(DEPS, WORKSPACE, NOTEBOOK)) {
      if (!Files.isDirectory(dir.resolve(part))) {
        throw new BenchException(
            "no benchmark corpus at " + dir + " (" + part + "/ is missing); run " + MAKE_CORPUS
                + " to build it, or pass --corpus DIR");
      }
    }
    if (!Files.isRegularFile(dir.resolve(NOTEBOOK).resolve(NOTEBOOK_FILE))) {
      throw new BenchException(
          "benchmark corpus " + dir + " has no " + NOTEBOOK + "/" + NOTEBOOK_FILE + "; run " + MAKE_CORPUS
              + " to build it");
    }
    Corpus corpus = new Corpus(dir);
    if (corpus.depJars().isEmpty()) {
      throw new BenchException(
          "benchmark corpus " + dir + " has no jars in " + DEPS + "/; run " + MAKE_CORPUS + " to build it");
    }
    return corpus;
  }

  Path deps() {
    return root.resolve(DEPS);
  }

  Path workspace() {
    return root.resolve(WORKSPACE);
  }

  Path notebook() {
    return root.resolve(NOTEBOOK);
  }

  /**
   * Whether this is the scale corpus of {@code make-scale-corpus.sh} (its dependency jars hold at
   * least {@value #SCALE_DEPS_GIB} GiB), whose targets differ from the benchmark corpus's.
   */
  boolean scale() {
    long bytes = 0;
    for (Path jar : depJars()) {
      try {
        bytes += Files.size(jar);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the size of " + jar, e);
      }
    }
    return bytes >= ((long) SCALE_DEPS_GIB << 30);
  }

  /** Every jar directly in {@code deps/}, sorted by name (as the JVM's {@code deps/*} would give them). */
  List<Path> depJars() {
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(deps())) {
      for (Path p : stream) {
        if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(p)) {
          jars.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + deps(), e);
    }
    jars.sort(null);
    return jars;
  }
}
