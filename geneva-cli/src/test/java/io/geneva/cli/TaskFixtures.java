package io.geneva.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The task classes of geneva-core's tests ({@code io.geneva.testfixture.SquareTask}, {@code
 * BrokenTask}, {@code NotATask}...), copied from geneva-core's compiled test classes into a class
 * directory of a test's own, which is then the classpath a {@code geneva run} ships. The CLI's test
 * classpath does not hold them, so only the shipped classpath can provide them.
 */
final class TaskFixtures {
  static final String SQUARE_TASK = "io.geneva.testfixture.SquareTask";
  static final String NOT_A_TASK = "io.geneva.testfixture.NotATask";
  private static final Path CORE_TEST_CLASSES = Path.of("../geneva-core/target/test-classes").toAbsolutePath().normalize();
  private static final String PACKAGE = "io/geneva/testfixture";

  private TaskFixtures() {}

  /** Copies the fixture classes into {@code classes} (dated {@link Workspace#PAST}) and returns it. */
  static Path copyInto(Path classes) throws IOException {
    Path from = CORE_TEST_CLASSES.resolve(PACKAGE);
    if (!Files.isDirectory(from)) {
      throw new IllegalStateException(from + " does not exist; build geneva-core's test classes first"
          + " (mvn -pl geneva-core -DskipTests install)");
    }
    Path to = Files.createDirectories(classes.resolve(PACKAGE));
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".class")).toList()) {
        Path copy = Files.copy(f, to.resolve(f.getFileName().toString()));
        Files.setLastModifiedTime(copy, FileTime.from(Workspace.PAST));
      }
    }
    return classes;
  }

  /** The pids recorded by the workers of the local cluster {@code default} under {@code home}. */
  static List<Long> recordedWorkerPids(Path home) throws IOException {
    Path cluster = home.resolve("clusters").resolve("local").resolve("default");
    if (!Files.isDirectory(cluster)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(cluster)) {
      List<Path> states = files.filter(f -> f.getFileName().toString().matches("worker-\\d+\\.properties")).toList();
      List<Long> pids = new ArrayList<>();
      for (Path state : states) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
          p.load(in);
        }
        pids.add(Long.parseLong(p.getProperty("pid")));
      }
      return pids;
    }
  }

  /** Stops the workers a retained cluster left running under {@code home}. */
  static void stopRetainedWorkers(Path home) throws IOException {
    for (long pid : recordedWorkerPids(home)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
  }
}
