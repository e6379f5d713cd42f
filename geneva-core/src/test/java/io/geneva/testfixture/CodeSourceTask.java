package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;

/** Returns where the class named by the "class" parameter was loaded from, as the task's loader sees it. */
public class CodeSourceTask implements Task<String> {
  @Override
  public String run(TaskContext context) throws Exception {
    Class<?> c = Class.forName(context.parameter("class").orElseThrow(), false, getClass().getClassLoader());
    return c.getProtectionDomain().getCodeSource().getLocation().toString();
  }
}
