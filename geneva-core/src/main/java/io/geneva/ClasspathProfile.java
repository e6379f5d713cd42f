package io.geneva;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jars of a framework that a session runs inside (a Spark driver, a Flink job client), which the
 * cluster's image already has: a session with a profile records them in the manifest as provided,
 * by file name and SHA-256, and does not upload them, exactly as {@link
 * GenevaSession.Builder#dependenciesInImage(boolean)} does for every dependency. The application's
 * own code and its own dependencies still ship.
 *
 * <p>A jar belongs to the framework when it sits in a Maven ({@code .../repository/org/apache/spark/...})
 * or Gradle ({@code .../files-2.1/org.apache.spark/...}) cache under one of the profile's groups, or,
 * anywhere else (a distribution's {@code jars/} directory), when its file name starts with one of
 * the profile's jar names. Nothing is read from the jars, so a profile costs nothing on a start.
 * Jars that only the framework uses but that belong to other groups (say, a compression library)
 * are not recognised and ship as the application's.
 *
 * <p>A session on a cluster built from an image (KubeRay) detects a built-in profile by its marker
 * jar on the classpath ({@code spark-core_*}, {@code flink-core-*}); a local cluster has no image,
 * so there profiles apply only when set with {@link GenevaSession.Builder#classpathProfiles}.
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
      List.of("spark-", "scala-", "hadoop-client-"), Pattern.compile("spark-core_.*\\.jar"));

  /** Apache Flink: every {@code org.apache.flink} jar, its shaded dependencies included. */
  public static final ClasspathProfile FLINK = new ClasspathProfile("flink", List.of("org.apache.flink"),
      List.of("flink-"), Pattern.compile("flink-core-.*\\.jar"));

  private static final Pattern MAVEN_REPOSITORY = Pattern.compile(".*/repository/(.+)/[^/]+/[^/]+/[^/]+\\.jar");
  private static final Pattern GRADLE_CACHE = Pattern.compile(".*/files-2\\.1/([^/]+)/[^/]+/[^/]+/[^/]+/[^/]+\\.jar");

  private final String name;
  private final List<String> groups;
  private final List<String> jarNames;
  private final Pattern marker;

  private ClasspathProfile(String name, List<String> groups, List<String> jarNames, Pattern marker) {
    this.name = name;
    this.groups = List.copyOf(groups);
    this.jarNames = List.copyOf(jarNames);
    this.marker = marker;
  }

  /**
   * A profile of your own: jars of these Maven groups in a Maven or Gradle cache, or jars whose file
   * names start with one of these prefixes anywhere else, are provided by the cluster image.
   *
   * @param name for reports
   * @param groups Maven group ids, matched exactly
   * @param jarNames file name prefixes, such as {@code acme-}
   */
  public static ClasspathProfile of(String name, List<String> groups, List<String> jarNames) {
    Objects.requireNonNull(name, "name");
    if (groups.isEmpty() && jarNames.isEmpty()) {
      throw new IllegalArgumentException("a classpath profile needs at least one Maven group or jar name");
    }
    return new ClasspathProfile(name, groups, jarNames, Pattern.compile("(?!)"));
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
    Objects.requireNonNull(jars, "jars");
    List<ClasspathProfile> found = new ArrayList<>();
    for (ClasspathProfile p : List.of(SPARK, FLINK)) {
      if (jars.stream().anyMatch(j -> j.getFileName() != null && p.marker.matcher(j.getFileName().toString()).matches())) {
        found.add(p);
      }
    }
    return found;
  }

  /**
   * The built-in profiles a session detects for its cluster: none for a local cluster (or none set,
   * which means a local one), whose workers have no image to provide jars; otherwise those whose
   * marker jar is among the classpath's jars.
   */
  public static List<ClasspathProfile> detect(Optional<ClusterSpec> cluster, List<Path> jars) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(jars, "jars");
    boolean image = cluster.isPresent() && !(cluster.get() instanceof LocalCluster);
    return image ? detect(jars) : List.of();
  }

  /** Whether this jar belongs to the framework. */
  public boolean provides(Path jar) {
    Optional<String> group = cacheGroup(jar);
    if (group.isPresent()) {
      return groups.contains(group.get());
    }
    String file = jar.getFileName() == null ? "" : jar.getFileName().toString();
    return jarNames.stream().anyMatch(file::startsWith);
  }

  /** The Maven group of a jar in a Maven or Gradle cache, from its path. */
  static Optional<String> cacheGroup(Path jar) {
    String unix = jar.toAbsolutePath().toString().replace('\\', '/');
    Matcher maven = MAVEN_REPOSITORY.matcher(unix);
    if (maven.matches()) {
      return Optional.of(maven.group(1).replace('/', '.'));
    }
    Matcher gradle = GRADLE_CACHE.matcher(unix);
    if (gradle.matches()) {
      return Optional.of(gradle.group(1));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ClasspathProfile[" + name + ": " + String.join(", ", groups) + "]";
  }
}
