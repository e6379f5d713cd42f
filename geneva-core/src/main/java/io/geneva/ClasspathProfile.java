package io.geneva;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of a framework that a session runs inside (a Spark driver, a Flink job client), which the
 * cluster's image already has: a session with a profile records them in the manifest as provided,
 * by file name and SHA-256, and does not upload them, exactly as {@link
 * GenevaSession.Builder#dependenciesInImage(boolean)} does for every dependency. The application's
 * own code and its own dependencies still ship.
 *
 * <p>A jar belongs to the framework when its Maven group is one of the profile's: read from the
 * jar's path in a Maven ({@code .../repository/org/apache/spark/...}) or Gradle ({@code
 * .../files-2.1/org.apache.spark/...}) cache, else from the {@code pom.properties} inside it. Jars
 * that only the framework uses but that belong to other groups (say, a compression library) are
 * not recognised and ship as the application's. A session detects a profile by its marker jar on
 * the classpath ({@code spark-core_*}, {@code flink-core-*}) unless profiles are set explicitly.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClasspathProfile {
  /**
   * Apache Spark: {@code org.apache.spark}, Scala's library ({@code org.scala-lang}, {@code
   * org.scala-lang.modules}) and Hadoop's client jars ({@code org.apache.hadoop}), as a Spark
   * distribution's {@code jars/} holds them.
   */
  public static final ClasspathProfile SPARK = new ClasspathProfile("spark",
      List.of("org.apache.spark", "org.scala-lang", "org.scala-lang.modules", "org.apache.hadoop"),
      Pattern.compile("spark-core_.*\\.jar"));

  /** Apache Flink: every {@code org.apache.flink} jar, its shaded dependencies included. */
  public static final ClasspathProfile FLINK = new ClasspathProfile("flink", List.of("org.apache.flink"),
      Pattern.compile("flink-core-.*\\.jar"));

  private static final Pattern MAVEN_REPOSITORY = Pattern.compile(".*/repository/(.+)/[^/]+/[^/]+/[^/]+\\.jar");
  private static final Pattern GRADLE_CACHE = Pattern.compile(".*/files-2\\.1/([^/]+)/[^/]+/[^/]+/[^/]+/[^/]+\\.jar");

  private final String name;
  private final List<String> groups;
  private final Pattern marker;

  private ClasspathProfile(String name, List<String> groups, Pattern marker) {
    this.name = name;
    this.groups = List.copyOf(groups);
    this.marker = marker;
  }

  /**
   * A profile of your own: the jars of these Maven groups are provided by the cluster image.
   *
   * @param name for reports
   * @param groups Maven group ids, matched exactly
   */
  public static ClasspathProfile of(String name, List<String> groups) {
    Objects.requireNonNull(name, "name");
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("a classpath profile needs at least one Maven group");
    }
    return new ClasspathProfile(name, groups, Pattern.compile("(?!)"));
  }

  /** The profile's name, such as {@code spark}. */
  public String name() {
    return name;
  }

  /** The Maven groups whose jars the image provides. */
  public List<String> groups() {
    return groups;
  }

  /** The built-in profiles whose marker jar is among these jar paths. */
  public static List<ClasspathProfile> detect(List<Path> jars) {
    List<ClasspathProfile> found = new ArrayList<>();
    for (ClasspathProfile p : List.of(SPARK, FLINK)) {
      if (jars.stream().anyMatch(j -> j.getFileName() != null && p.marker.matcher(j.getFileName().toString()).matches())) {
        found.add(p);
      }
    }
    return found;
  }

  /** Whether this jar belongs to the framework. */
  public boolean provides(Path jar) {
    return group(jar).map(groups::contains).orElse(false);
  }

  /** The Maven group of a jar, from its cache path or its {@code pom.properties}, if it has one. */
  static Optional<String> group(Path jar) {
    String unix = jar.toAbsolutePath().toString().replace('\\', '/');
    var maven = MAVEN_REPOSITORY.matcher(unix);
    if (maven.matches()) {
      return Optional.of(maven.group(1).replace('/', '.'));
    }
    var gradle = GRADLE_CACHE.matcher(unix);
    if (gradle.matches()) {
      return Optional.of(gradle.group(1));
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String n = e.getName();
        if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
          Properties p = new Properties();
          try (InputStream in = zip.getInputStream(e)) {
            p.load(in);
          }
          return Optional.ofNullable(p.getProperty("groupId")).map(String::trim);
        }
      }
    } catch (IOException e) {
      // not a readable jar: not the framework's
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ClasspathProfile[" + name + ": " + String.join(", ", groups) + "]";
  }
}
