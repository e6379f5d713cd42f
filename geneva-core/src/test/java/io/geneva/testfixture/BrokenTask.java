package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;

/** Always throws, with a message naming its partition. */
public class BrokenTask implements Task<String> {
  @Override
  public String run(TaskContext context) {
    throw new UnsupportedOperationException("cannot do partition " + context.partition());
  }
}
