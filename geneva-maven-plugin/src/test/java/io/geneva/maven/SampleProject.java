package io.geneva.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny compiled project in a test's directory: {@code target/classes} with {@code com.acme.SquareTask}
 * (a Task) and {@code com.acme.NotATask}, and goals configured on it as Maven would, with the Geneva home
 * and storage under the project.
 */
final class SampleProject {
  static final String SQUARE_TASK = "com.acme.SquareTask";
  static final String NOT_A_TASK = "com.acme.NotATask";
  static final String FAILING_TASK = "com.acme.FailingTask";

  private static final Map<String, String> SOURCES = Map.of(
      "com/acme/SquareTask.java", """
          package com.acme;

          import io.geneva.Task;
          import io.geneva.TaskContext;

          public class SquareTask implements Task<String> {
            @Override
            public String run(TaskContext context) {
              int p = context.partition();
              return "square(" + p + ")=" + (p * p) + context.parameter("suffix").orElse("");
            }
          }
          """,
      "com/acme/FailingTask.java", """
          package com.acme;

          import io.geneva.Task;
          import io.geneva.TaskContext;

          public class FailingTask implements Task<String> {
            @Override
            public String run(TaskContext context) {
              throw new IllegalStateException("partition " + context.partition() + " is bad");
            }
          }
          """,
      "com/acme/NotATask.java", """
          package com.acme;

          public class NotATask {}
          """);

  final Path dir;
  final Path classes;
  final Path target;

  private SampleProject(Path dir) {
    this.dir = dir;
    this.target = dir.resolve("target");
    this.classes = target.resolve("classes");
  }

  /** A project in {@code dir}, compiled. */
  static SampleProject compiled(Path dir) throws IOException {
    SampleProject p = uncompiled(dir);
    Path sources = dir.resolve("src/main/java");
    List<String> args = new ArrayList<>(List.of("-d", p.classes.toString(), "-classpath",
        System.getProperty("java.class.path"), "--release", "17"));
    for (Map.Entry<String, String> s : SOURCES.entrySet()) {
      Path file = sources.resolve(s.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, s.getValue());
      args.add(file.toString());
    }
    Files.createDirectories(p.classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the sample project does not compile");
    }
    return p;
  }

  /** A project in {@code dir} with nothing compiled. */
  static SampleProject uncompiled(Path dir) {
    return new SampleProject(dir);
  }

  /** Configures a goal as Maven would for this project: its paths, a home and storage under it, a log. */
  <M extends AbstractGenevaMojo> M configure(M mojo, RecordingLog log) {
    mojo.outputDirectory = classes.toFile();
    mojo.buildDirectory = target.toFile();
    mojo.projectDirectory = dir.toFile();
    mojo.classpathElements = List.of(classes.toString());
    mojo.home = dir.resolve("geneva-home").toFile();
    mojo.storageRoot = dir.resolve("geneva-storage").toString();
    mojo.setLog(log);
    return mojo;
  }
}
