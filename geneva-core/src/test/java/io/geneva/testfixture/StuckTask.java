package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;
import java.util.concurrent.CountDownLatch;

/**
 * Never returns, ignoring interruption, on the attempts up to the "stuckAttempts" parameter (default:
 * every attempt); later attempts return the partition times ten.
 */
public class StuckTask implements Task<Integer> {
  @Override
  public Integer run(TaskContext context) {
    int stuck = context.parameter("stuckAttempts").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
    if (context.attempt() <= stuck && context.partition() == 0) {
      CountDownLatch never = new CountDownLatch(1);
      while (true) {
        try {
          never.await();
        } catch (InterruptedException e) {
          // A task that ignores cancellation: only stopping its worker ends it.
        }
      }
    }
    return context.partition() * 10;
  }
}
