package io.geneva.examples.flink;

import io.geneva.Task;
import io.geneva.TaskContext;

/**
 * The longest Collatz chain that starts in its partition's slice of {@code [1, limit]} ({@code limit}
 * is a job parameter). It uses nothing of Flink: on the workers it loads from the shipped workspace
 * alone.
 */
public class CollatzTask implements Task<CollatzTask.Longest> {
  /** One partition's longest chain, and the class loader that ran the task. */
  public record Longest(int partition, long start, int steps, String loader) implements java.io.Serializable {}

  @Override
  public Longest run(TaskContext context) {
    long limit = Long.parseLong(context.parameter("limit").orElse("100000"));
    long from = 1 + limit * context.partition() / context.partitions();
    long to = limit * (context.partition() + 1) / context.partitions();
    long best = from;
    int bestSteps = -1;
    for (long n = from; n <= to; n++) {
      int steps = steps(n);
      if (steps > bestSteps) {
        best = n;
        bestSteps = steps;
      }
    }
    return new Longest(context.partition(), best, bestSteps, String.valueOf(getClass().getClassLoader().getName()));
  }

  static int steps(long start) {
    int steps = 0;
    for (long n = start; n != 1; n = (n & 1) == 0 ? n >> 1 : 3 * n + 1) {
      steps++;
    }
    return steps;
  }
}
