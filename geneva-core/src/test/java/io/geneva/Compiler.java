package io.geneva;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;

/** Compiles small Java sources for tests that need real class files. */
public final class Compiler {
  private Compiler() {}

  /**
   * Writes the sources (by class name, such as {@code "a.b.C"}) under {@code dir/src}, compiles them
   * with the JDK's javac into {@code dir/classes}, and returns that directory.
   *
   * @throws IllegalStateException with javac's messages, if they do not compile
   */
  public static Path compile(Path dir, Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    ToolProvider javac = ToolProvider.findFirst("javac")
        .orElseThrow(() -> new IllegalStateException("this JVM has no javac; run the tests on a JDK"));
    StringWriter messages = new StringWriter();
    PrintWriter out = new PrintWriter(messages);
    if (javac.run(out, out, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the test sources do not compile: " + messages);
    }
    return classes;
  }
}
