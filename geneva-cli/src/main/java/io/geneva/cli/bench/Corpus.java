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
 *   <li>{@value #WORKSPACE}/ is a {@code target/classes}-like tree with {@code .class} files; or, in
 *       the scale corpus of {@code make-scale-corpus.sh}, a multi-module project: one such tree per
 *       module directory ({@code m0/}, {@code m1/}, ...), each marked by a {@value #MODULE_FILE},
 *       each a classpath entry of its own;
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
  static final String MODULE_FILE = "module.properties";
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
   * The classpath directories of a workspace (the corpus's or a copy of it): each module directory
   * holding a {@value #MODULE_FILE}, sorted by name, or the workspace itself when it has none.
   */
  static List<Path> workspaceDirectories(Path workspace) {
    List<Path> modules = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(workspace)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p.resolve(MODULE_FILE))) {
          modules.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + workspace, e);
    }
    modules.sort(null);
    return modules.isEmpty() ? List.of(workspace) : List.copyOf(modules);
  }

  /** Whether this is the scale corpus: a workspace of several modules. */
  boolean scale() {
    return workspaceDirectories(workspace()).size() > 1;
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
