package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    return FixtureFiles.jar(jar, Map.of("a/A.class", new byte[] {1}));
  }

  @Test
  void aJarsGroup_comesFromItsMavenOrGradleCachePath_orFromThePomPropertiesInside() throws IOException {
    assertThat(ClasspathProfile.group(mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0")))
        .hasValue("org.apache.spark");
    Path gradle = FixtureFiles.jar(dir.resolve(".gradle/caches/modules-2/files-2.1/org.apache.flink/flink-core/1.20.5/"
        + "abc123/flink-core-1.20.5.jar"), Map.of("x", new byte[0]));
    assertThat(ClasspathProfile.group(gradle)).hasValue("org.apache.flink");
    Path spark = FixtureFiles.jar(dir.resolve("spark/jars/spark-sql_2.13-4.2.0.jar"), Map.of(
        "META-INF/maven/org.apache.spark/spark-sql_2.13/pom.properties",
        "groupId=org.apache.spark\nartifactId=spark-sql_2.13\nversion=4.2.0\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(ClasspathProfile.group(spark)).hasValue("org.apache.spark");
    Path unknown = FixtureFiles.jar(dir.resolve("lib/app.jar"), Map.of("x", new byte[0]));
    assertThat(ClasspathProfile.group(unknown)).isEmpty();
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
  void aSparkDriversSession_recordsSparksJarsAsProvided_andShipsTheRest() {
    Path core = mavenJar("org.apache.spark", "spark-core_2.13", "4.2.0");
    Path util = mavenJar("com.acme", "util", "1.0");
    Path classes = dir.resolve("project/classes");
    FixtureFiles.classTree(classes, 5, 1);

    Manifest detected;
    Manifest none;
    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .projectDirectory(dir.resolve("project")).classpath(List.of(classes, core, util)).open()) {
      detected = s.manifest();
      assertThat(s.startupReport().summary()).contains("1 dependency jars are provided by the worker image");
    }
    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .projectDirectory(dir.resolve("project")).classpath(List.of(classes, core, util))
        .classpathProfiles(List.of()).open()) {
      none = s.manifest();
    }

    assertThat(detected.classpath()).extracting(Manifest.Package::provided)
        .containsExactly(null, "spark-core_2.13-4.2.0.jar", null);
    assertThat(Files.exists(dir.resolve("store").resolve(detected.classpath().get(1).key())))
        .as("stored only by the second session, which ships everything").isTrue();
    assertThat(none.classpath()).extracting(Manifest.Package::provided).containsOnlyNulls();
  }

  @Test
  void aProfileOfYourOwn_needsAGroup() {
    assertThat(ClasspathProfile.of("acme", List.of("com.acme")).provides(mavenJar("com.acme", "util", "1.0"))).isTrue();
    assertThatThrownBy(() -> ClasspathProfile.of("none", List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one Maven group");
  }
}
