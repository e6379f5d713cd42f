package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** Allocates until the worker's heap is exhausted: a task that runs out of memory. */
public class OutOfMemoryTask implements Task<Integer> {
  @Override
  public Integer run(TaskContext context) {
    List<long[]> hog = new ArrayList<>();
    while (true) {
      hog.add(new long[1 << 20]);
    }
  }
}
