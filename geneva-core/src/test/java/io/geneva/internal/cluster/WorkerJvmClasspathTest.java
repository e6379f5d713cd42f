package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJvmClasspathTest {

  @Test
  void dependencyListLinesBecomeJarFileNames() {
    assertThat(WorkerJvmClasspath.fileName("   software.amazon.awssdk:s3:jar:2.57.8:compile -- module software.amazon.awssdk.services.s3"))
        .contains("s3-2.57.8.jar");
    assertThat(WorkerJvmClasspath.fileName("   io.netty:netty-tcnative:jar:linux-x86_64:2.0.1:runtime"))
        .contains("netty-tcnative-2.0.1-linux-x86_64.jar");
    assertThat(WorkerJvmClasspath.fileName("The following files have been resolved:")).isEmpty();
    assertThat(WorkerJvmClasspath.fileName("")).isEmpty();
  }

  @Test
  void listedDependenciesAreFoundOnTheClassPathByFileName(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("res/META-INF/geneva/runtime-dependencies.list");
    Files.createDirectories(list.getParent());
    Files.writeString(list, "The following files have been resolved:\n"
        + "   software.amazon.awssdk:s3:jar:2.57.8:compile -- module x\n"
        + "   org.example:absent:jar:1.0:runtime\n");
    Path s3 = Files.createDirectories(dir.resolve("repo/software/amazon/awssdk/s3/2.57.8")).resolve("s3-2.57.8.jar");
    Files.writeString(s3, "not really a jar");
    String javaClassPath = String.join(File.pathSeparator, "/elsewhere/app.jar", s3.toString());
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("res").toUri().toURL()}, null)) {
      assertThat(WorkerJvmClasspath.listedDependencies(loader, javaClassPath)).containsExactly(s3.toString());
    }
  }

  @Test
  void theRuntimeHasGenevaAndJacksonButNotTheTestClasses() {
    List<String> entries = List.of(WorkerJvmClasspath.get().split(File.pathSeparator));
    assertThat(entries).anySatisfy(e -> assertThat(e).contains("jackson-databind"));
    assertThat(entries).anySatisfy(e -> assertThat(e).endsWith("target" + File.separator + "classes"));
    assertThat(entries).noneSatisfy(e -> assertThat(e).endsWith("test-classes"));
  }
}
