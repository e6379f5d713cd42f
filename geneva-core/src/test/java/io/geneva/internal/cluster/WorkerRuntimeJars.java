package io.geneva.internal.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Gives local worker JVMs Geneva's runtime as jars only ({@link WorkerJvmClasspath#OVERRIDE}): this
 * build's target/classes packed into a jar, then the jars of the test's class path. Class-data
 * archives cover jars only, so tests of them need a runtime a real installation would have.
 * {@link #restore()} puts the property back as it was.
 */
final class WorkerRuntimeJars {
  private final @Nullable String previous;
  private final List<String> jars;

  private WorkerRuntimeJars(@Nullable String previous, List<String> jars) {
    this.previous = previous;
    this.jars = jars;
  }

  /** Packs target/classes into {@code dir}/geneva-core.jar and points worker JVMs at the runtime jars. */
  static WorkerRuntimeJars install(Path dir) throws IOException {
    String previous = System.getProperty(WorkerJvmClasspath.OVERRIDE);
    List<String> entries = new ArrayList<>();
    entries.add(jar(Path.of("target/classes").toAbsolutePath(), dir.resolve("geneva-core.jar")).toString());
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
        entries.add(e);
      }
    }
    System.setProperty(WorkerJvmClasspath.OVERRIDE, String.join(File.pathSeparator, entries));
    return new WorkerRuntimeJars(previous, List.copyOf(entries));
  }

  /** The runtime's jars, in class-path order. */
  List<String> jars() {
    return jars;
  }

  void restore() {
    if (previous == null) {
      System.clearProperty(WorkerJvmClasspath.OVERRIDE);
    } else {
      System.setProperty(WorkerJvmClasspath.OVERRIDE, previous);
    }
  }

  private static Path jar(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
