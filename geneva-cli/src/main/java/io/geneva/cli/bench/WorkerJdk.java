package io.geneva.cli.bench;

import io.geneva.internal.util.JdkRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JDK that the workers bench runs workers on: its {@code java} executable as given, and the version
 * and vendor its {@code release} file names (what a class-data cache is kept for).
 *
 * @param java the {@code java} executable, as given (passed to {@code geneva run --worker-java})
 * @param version the runtime version, such as {@code 17.0.17+10-Debian-1}
 * @param vendor the implementor, such as {@code Eclipse Adoptium}
 */
record WorkerJdk(Path java, String version, String vendor) {
  /**
   * The JDK of a {@code java} executable: {@code <home>/bin/java}, symbolic links followed, beside
   * {@code <home>/release}.
   *
   * @param option the option it came from, named in errors
   * @throws BenchException if it is not an executable file or has no readable release file
   */
  static WorkerJdk of(Path java, String option) {
    Path given = java.toAbsolutePath().normalize();
    if (!Files.isRegularFile(given) || !Files.isExecutable(given)) {
      throw new BenchException(option + " " + java + (Files.exists(given) ? " is not an executable file" : " does not exist")
          + "; pass the java of a JDK, such as /usr/lib/jvm/<jdk>/bin/java");
    }
    Path release;
    try {
      release = JdkRelease.releaseFileOf(given);
    } catch (IOException e) {
      throw new BenchException(option + " " + java + " cannot be resolved (" + e.getMessage() + "); pass the java of"
          + " a JDK, such as /usr/lib/jvm/<jdk>/bin/java");
    }
    JdkRelease r;
    try {
      r = JdkRelease.read(release);
    } catch (IOException e) {
      throw new BenchException(option + " " + java + " has no readable JDK release file at " + release
          + "; pass <JDK home>/bin/java of a JDK");
    }
    if (r.version().isEmpty()) {
      throw new BenchException(option + " " + java + ": its release file " + release + " names no JAVA_VERSION;"
          + " pass <JDK home>/bin/java of a JDK");
    }
    return new WorkerJdk(java, r.version(), r.implementor());
  }

  /** The JDK running this bench. */
  static WorkerJdk thisJvm() {
    return of(Path.of(GenevaProcess.javaExecutable()), "the bench's own java");
  }

  /** The feature release: 17 for {@code 17.0.17+10}, 25 for {@code 25.0.1+8-LTS}; 0 if unreadable. */
  int feature() {
    return JdkRelease.feature(version);
  }

  /** Whether a class-data cache of one JDK would be refused by the other. */
  boolean differsFrom(WorkerJdk other) {
    return !version.equals(other.version) || !vendor.equals(other.vendor);
  }

  String describe() {
    return "JDK " + version + " (" + vendor + ")";
  }
}
