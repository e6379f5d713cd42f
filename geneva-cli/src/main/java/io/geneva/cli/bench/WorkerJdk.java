package io.geneva.cli.bench;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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
      Path real = given.toRealPath();
      release = real.getParent() == null || real.getParent().getParent() == null
          ? real.resolveSibling("release")
          : real.getParent().getParent().resolve("release");
    } catch (IOException e) {
      throw new BenchException(option + " " + java + " cannot be resolved (" + e.getMessage() + "); pass the java of"
          + " a JDK, such as /usr/lib/jvm/<jdk>/bin/java");
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(release, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      throw new BenchException(option + " " + java + " has no readable JDK release file at " + release
          + "; pass <JDK home>/bin/java of a JDK");
    }
    String version = unquote(p.getProperty("JAVA_RUNTIME_VERSION", p.getProperty("JAVA_VERSION", "")));
    if (version.isEmpty()) {
      throw new BenchException(option + " " + java + ": its release file " + release + " names no JAVA_VERSION;"
          + " pass <JDK home>/bin/java of a JDK");
    }
    return new WorkerJdk(java, version, unquote(p.getProperty("IMPLEMENTOR", "unknown")));
  }

  /** The JDK running this bench. */
  static WorkerJdk thisJvm() {
    return of(Path.of(GenevaProcess.javaExecutable()), "the bench's own java");
  }

  private static String unquote(String s) {
    String t = s.strip();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }

  /** The feature release: 17 for {@code 17.0.17+10}, 25 for {@code 25.0.1+8-LTS}; 0 if unreadable. */
  int feature() {
    String digits = version.replaceAll("^(\\d+).*$", "$1");
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether a class-data cache of one JDK would be refused by the other. */
  boolean differsFrom(WorkerJdk other) {
    return !version.equals(other.version) || !vendor.equals(other.vendor);
  }

  String describe() {
    return "JDK " + version + " (" + vendor + ")";
  }
}
