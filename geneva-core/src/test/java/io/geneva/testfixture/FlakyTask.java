package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;

/** Fails its first attempt at every partition listed in the "fail" parameter ("1,3"), then succeeds. */
public class FlakyTask implements Task<String> {
  @Override
  public String run(TaskContext context) {
    String fail = context.parameter("fail").orElse("");
    for (String p : fail.split(",")) {
      if (!p.isEmpty() && Integer.parseInt(p) == context.partition() && context.attempt() == 1) {
        throw new IllegalStateException("flaky partition " + context.partition());
      }
    }
    return context.partition() + "@" + context.attempt();
  }
}
