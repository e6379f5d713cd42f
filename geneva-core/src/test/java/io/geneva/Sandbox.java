package io.geneva;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One test's world on disk: a project directory, a Geneva home, a file store, and a clock standing at
 * {@link FixtureFiles#LATER} (far after every fixture mtime, so no file is racy).
 */
public final class Sandbox {
  public final Path root;
  public final Path project;
  public final Path home;
  public final Path store;
  public final MutableClock clock = MutableClock.at(FixtureFiles.LATER);

  public Sandbox(Path root) {
    this(root, root.resolve("project"), root.resolve("home"), root.resolve("store"));
  }

  public Sandbox(Path root, Path project, Path home, Path store) {
    this.root = root;
    this.project = project;
    this.home = home;
    this.store = store;
  }

  /** A builder on this sandbox's store, home, project and clock, for these classpath entries. */
  public GenevaSession.Builder builder(Path... classpath) {
    return base(classpath).clock(clock);
  }

  /** Like {@link #builder} but without the clock, for tests that inject their own. */
  public GenevaSession.Builder base(Path... classpath) {
    return Geneva.connect(store.toString())
        .home(home)
        .projectDirectory(project)
        .classpath(List.of(classpath));
  }

  /** Opens and closes a session, returning its report. */
  public static StartupReport run(GenevaSession.Builder builder) {
    try (GenevaSession session = builder.open()) {
      return session.startupReport();
    }
  }

  /** Opens and closes a session on this sandbox, returning its report. */
  public StartupReport run(Path... classpath) {
    return run(builder(classpath));
  }

  /** The stored file of a package. */
  public Path stored(PackageReport p) {
    return FixtureFiles.storedPackage(store, p.digest());
  }

  /** The report's packages that were uploaded. */
  public static List<PackageReport> uploaded(StartupReport report) {
    List<PackageReport> out = new ArrayList<>();
    for (PackageReport p : report.packages()) {
      if (p.uploaded()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The package with this source name. */
  public static Optional<PackageReport> bySource(StartupReport report, String source) {
    return report.packages().stream().filter(p -> p.source().equals(source)).findFirst();
  }

  /** The packages whose source starts with this prefix (a directory's shards). */
  public static List<PackageReport> bySourcePrefix(StartupReport report, String prefix) {
    return report.packages().stream().filter(p -> p.source().startsWith(prefix)).toList();
  }

  /** A small dependency jar outside the project, like one from the Maven cache. */
  public Path dependencyJar(String name, long seed) {
    return FixtureFiles.jar(
        root.resolve("m2/repository/org/example/" + name + "/" + name + ".jar"),
        Map.of(
            "org/example/" + name + "/data.bin", FixtureFiles.randomBytes(seed, 3000),
            "org/example/" + name + "/readme.txt", ("dependency " + name).getBytes()));
  }
}
