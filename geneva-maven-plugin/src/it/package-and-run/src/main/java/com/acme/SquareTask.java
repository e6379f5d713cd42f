package com.acme;

import io.geneva.Task;
import io.geneva.TaskContext;

/** Squares its partition's index, in a worker JVM of its own. */
public class SquareTask implements Task<String> {
  @Override
  public String run(TaskContext context) {
    int p = context.partition();
    return "square(" + p + ")=" + (p * p) + context.parameter("suffix").orElse("")
        + " in pid " + ProcessHandle.current().pid();
  }
}
