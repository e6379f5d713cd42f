package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;

/** Returns its partition squared, and says which worker and class loader ran it. */
public class SquareTask implements Task<SquareTask.Square> {
  /** One partition's result. */
  public record Square(int partition, long square, String worker, String loader) implements java.io.Serializable {}

  @Override
  public Square run(TaskContext context) {
    int p = context.partition();
    return new Square(p, (long) p * p, context.worker(), String.valueOf(getClass().getClassLoader().getName()));
  }
}
