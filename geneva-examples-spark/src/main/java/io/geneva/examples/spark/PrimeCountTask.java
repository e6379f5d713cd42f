package io.geneva.examples.spark;

import io.geneva.Task;
import io.geneva.TaskContext;

/**
 * Counts the primes in its partition's slice of {@code [0, limit)} ({@code limit} is a job
 * parameter). It uses nothing of Spark: on the workers it loads from the shipped workspace alone.
 */
public class PrimeCountTask implements Task<PrimeCountTask.Count> {
  /** One partition's count, and the class loader that ran the task. */
  public record Count(int partition, long primes, String loader) implements java.io.Serializable {}

  @Override
  public Count run(TaskContext context) {
    long limit = Long.parseLong(context.parameter("limit").orElse("100000"));
    long from = limit * context.partition() / context.partitions();
    long to = limit * (context.partition() + 1) / context.partitions();
    long primes = 0;
    for (long n = from; n < to; n++) {
      if (isPrime(n)) {
        primes++;
      }
    }
    return new Count(context.partition(), primes, String.valueOf(getClass().getClassLoader().getName()));
  }

  static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    for (long d = 2; d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
