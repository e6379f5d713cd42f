package io.geneva.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.ArtifactHandler;
import org.apache.maven.artifact.versioning.VersionRange;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.junit.jupiter.api.Test;

/** Which of the plugin's jars a local worker JVM gets, and that the property is the user's again afterwards. */
class WorkerClasspathTest {
  private static final ArtifactHandler JAR = new ArtifactHandler() {
    @Override public String getExtension() { return "jar"; }
    @Override public String getDirectory() { return null; }
    @Override public String getClassifier() { return null; }
    @Override public String getPackaging() { return "jar"; }
    @Override public boolean isIncludesDependencies() { return false; }
    @Override public String getLanguage() { return "java"; }
    @Override public boolean isAddedToClasspath() { return true; }
  };

  private static Artifact artifact(String group, String id, String... trail) {
    DefaultArtifact a = new DefaultArtifact(group, id, VersionRange.createFromVersion("1.0"), "runtime", "jar", null,
        JAR);
    a.setFile(new File("/repo/" + id + "-1.0.jar"));
    a.setDependencyTrail(List.of(trail));
    return a;
  }

  @Test
  void workers_getGenevaCoreAndStorageWithTheirDependencies_notKubernetesNorThePlugin() {
    String plugin = "io.geneva:geneva-maven-plugin:maven-plugin:0.1.0";
    List<Artifact> artifacts = List.of(
        artifact("io.geneva", "geneva-maven-plugin", plugin),
        artifact("io.geneva", "geneva-core", plugin, "io.geneva:geneva-core:jar:0.1.0"),
        artifact("com.fasterxml.jackson.core", "jackson-databind", plugin, "io.geneva:geneva-core:jar:0.1.0",
            "com.fasterxml.jackson.core:jackson-databind:jar:2.23.0"),
        artifact("io.geneva", "geneva-storage", plugin, "io.geneva:geneva-storage:jar:0.1.0"),
        artifact("software.amazon.awssdk", "s3", plugin, "io.geneva:geneva-storage:jar:0.1.0", "software.amazon.awssdk:s3:jar:2"),
        artifact("io.geneva", "geneva-k8s", plugin, "io.geneva:geneva-k8s:jar:0.1.0"),
        artifact("io.kubernetes", "client-java", plugin, "io.geneva:geneva-k8s:jar:0.1.0", "io.kubernetes:client-java:jar:27"));

    String classpath = WorkerClasspath.of(artifacts, "geneva-maven-plugin");

    assertThat(classpath.split(File.pathSeparator)).containsExactly(
        new File("/repo/geneva-core-1.0.jar").getAbsolutePath(),
        new File("/repo/jackson-databind-1.0.jar").getAbsolutePath(),
        new File("/repo/geneva-storage-1.0.jar").getAbsolutePath(),
        new File("/repo/s3-1.0.jar").getAbsolutePath());
  }

  @Test
  void property_isSetOnlyWhileTheGoalRuns() throws Exception {
    PluginDescriptor plugin = new PluginDescriptor();
    plugin.setArtifactId("geneva-maven-plugin");
    plugin.setArtifacts(List.of(artifact("io.geneva", "geneva-core", "x")));
    String[] seen = new String[1];

    WorkerClasspath.withRuntimeOf(plugin, () -> seen[0] = System.getProperty(WorkerClasspath.PROPERTY));

    assertThat(seen[0]).endsWith("geneva-core-1.0.jar");
    assertThat(System.getProperty(WorkerClasspath.PROPERTY)).isNull();
  }

  @Test
  void aValueTheUserSet_isLeftAlone() throws Exception {
    PluginDescriptor plugin = new PluginDescriptor();
    plugin.setArtifacts(List.of(artifact("io.geneva", "geneva-core", "x")));
    System.setProperty(WorkerClasspath.PROPERTY, "/mine.jar");
    try {
      String[] seen = new String[1];
      WorkerClasspath.withRuntimeOf(plugin, () -> seen[0] = System.getProperty(WorkerClasspath.PROPERTY));
      assertThat(seen[0]).isEqualTo("/mine.jar");
      assertThat(System.getProperty(WorkerClasspath.PROPERTY)).isEqualTo("/mine.jar");
    } finally {
      System.clearProperty(WorkerClasspath.PROPERTY);
    }
  }
}
