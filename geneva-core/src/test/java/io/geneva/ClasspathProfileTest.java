package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathProfileTest {
  @TempDir Path dir;

  private Path mavenJar(String group, String artifact, String version) {
    Path jar = dir.resolve(".m2/repository").resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
        .resolve(artifact + "-" + version + ".jar");
    return FixtureFiles.jar(jar, Map.of(artifact + "/A.class", new byte[] {1})); // content unique per artifact
  }

  @Test
  void aJarsGroup_comesFromItsMavenOrGradleCachePath_andElsewhereItsNameDecides() {
    assertThat(ClasspathProfile.cacheGroup(mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0")))
        .hasValue("org.apache.spark");
    Path gradle = FixtureFiles.jar(dir.resolve(".gradle/caches/modules-2/files-2.1/org.apache.flink/flink-core/1.20.5/"
        + "abc123/flink-core-1.20.5.jar"), Map.of("x", new byte[0]));
    assertThat(ClasspathProfile.cacheGroup(gradle)).hasValue("org.apache.flink");
    assertThat(ClasspathProfile.FLINK.provides(gradle)).isTrue();
    // A Spark distribution's jars/ directory: no cache layout, so the file name decides.
    Path distribution = FixtureFiles.jar(dir.resolve("spark/jars/spark-sql_2.13-4.2.0.jar"), Map.of("x", new byte[0]));
    Path scala = FixtureFiles.jar(dir.resolve("spark/jars/scala-library-2.13.16.jar"), Map.of("x", new byte[0]));
    Path app = FixtureFiles.jar(dir.resolve("spark/jars/guava-33.0.0-jre.jar"), Map.of("x", new byte[0]));
    assertThat(ClasspathProfile.cacheGroup(distribution)).isEmpty();
    assertThat(ClasspathProfile.SPARK.provides(distribution)).isTrue();
    assertThat(ClasspathProfile.SPARK.provides(scala)).isTrue();
    assertThat(ClasspathProfile.SPARK.provides(app)).isFalse();
  }

  @Test
  void profiles_areDetectedByTheirMarkerJar_andProvideOnlyTheirGroups() {
    Path core = mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0");
    Path scala = mavenJar("org.scala-lang", "scala-library", "2.13.16");
    Path guava = mavenJar("com.google.guava", "guava", "33.0.0-jre");

    assertThat(ClasspathProfile.detect(List.of(core, scala, guava))).containsExactly(ClasspathProfile.SPARK);
    assertThat(ClasspathProfile.detect(List.of(scala, guava))).isEmpty();
    assertThat(ClasspathProfile.detect(List.of(mavenJar("org.apache.flink", "flink-core", "1.20.5"))))
        .containsExactly(ClasspathProfile.FLINK);
    assertThat(ClasspathProfile.SPARK.provides(core)).isTrue();
    assertThat(ClasspathProfile.SPARK.provides(scala)).isTrue();
    assertThat(ClasspathProfile.SPARK.provides(guava)).as("the application's own dependency").isFalse();
  }

  @Test
  void aSparkDriversSession_withTheSparkProfile_recordsSparksJarsAsProvided_andShipsTheRest() {
    Path core = mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0");
    Path util = mavenJar("com.acme", "util", "1.0");
    Path classes = dir.resolve("project/classes");
    FixtureFiles.classTree(classes, 5, 1);

    Manifest profiled;
    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .projectDirectory(dir.resolve("project")).classpath(List.of(classes, core, util))
        .classpathProfiles(List.of(ClasspathProfile.SPARK)).open()) {
      profiled = s.manifest();
      assertThat(s.startupReport().summary()).contains("1 dependency jar is provided by the worker image");
    }

    assertThat(profiled.classpath()).extracting(Manifest.Package::provided)
        .containsExactly(null, "spark-core_2.13-4.2.0.jar", null);
    assertThat(Files.exists(dir.resolve("store").resolve(profiled.classpath().get(1).key())))
        .as("%s", profiled.classpath()).isFalse();
  }

  @Test
  void profilesAreDetectedForAClusterBuiltFromAnImage_notForALocalOne() {
    List<Path> jars = List.of(mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0"));
    ClusterSpec kuberay = new ClusterSpec() {
      @Override
      public String type() {
        return "kuberay";
      }

      @Override
      public String name() {
        return "dev";
      }

      @Override
      public ExitPolicy exitPolicy() {
        return ExitPolicy.DELETE;
      }
    };

    assertThat(ClasspathProfile.detect(java.util.Optional.of(kuberay), jars)).containsExactly(ClasspathProfile.SPARK);
    assertThat(ClasspathProfile.detect(java.util.Optional.of(LocalCluster.workers(2)), jars)).isEmpty();
    assertThat(ClasspathProfile.detect(java.util.Optional.empty(), jars)).as("the default, local cluster").isEmpty();
  }

  @Test
  void onALocalCluster_noProfileIsDetected_forItsWorkersHaveNoImage() {
    Path core = mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0");
    Path classes = dir.resolve("project/classes");
    FixtureFiles.classTree(classes, 5, 1);

    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .projectDirectory(dir.resolve("project")).classpath(List.of(classes, core)).open()) {
      assertThat(s.manifest().classpath()).extracting(Manifest.Package::provided).containsOnlyNulls();
    }
  }

  @Test
  void aProfileOfYourOwn_needsAGroupOrAJarName() {
    ClasspathProfile acme = ClasspathProfile.of("acme", List.of("com.acme"), List.of("acme-"));
    assertThat(acme.provides(mavenJar("com.acme", "util", "1.0"))).isTrue();
    assertThat(acme.provides(FixtureFiles.jar(dir.resolve("lib/acme-core-2.jar"), Map.of("x", new byte[0])))).isTrue();
    assertThatThrownBy(() -> ClasspathProfile.of("none", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one Maven group or jar name");
  }
}
