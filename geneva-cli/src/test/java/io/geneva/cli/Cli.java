package io.geneva.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Runs the geneva command in this JVM with captured output and a given environment. */
final class Cli {
  private Cli() {}

  /** What one run of the command did. */
  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> environment, String... args) {
    return run(environment, Clock.systemUTC(), args);
  }

  static Result run(Map<String, String> environment, Clock clock, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = GenevaCommand.execute(o, e, environment, false, clock, args);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
