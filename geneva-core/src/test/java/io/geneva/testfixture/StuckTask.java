package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;
import java.util.concurrent.CountDownLatch;

/**
 * Never returns, ignoring interruption, on the attempts up to the "stuckAttempts" parameter (default:
 * every attempt); later attempts return the partition times ten. With a "dir" parameter, it first
 * writes "<dir>/started-<pid>".
 */
public class StuckTask implements Task<Integer> {
  @Override
  public Integer run(TaskContext context) throws java.io.IOException {
    int stuck = context.parameter("stuckAttempts").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
    if (context.attempt() <= stuck && context.partition() == 0) {
      if (context.parameter("dir").isPresent()) {
        java.nio.file.Path dir = java.nio.file.Path.of(context.parameter("dir").get());
        java.nio.file.Path tmp = dir.resolve("started-" + ProcessHandle.current().pid() + ".tmp");
        java.nio.file.Files.writeString(tmp, context.worker());
        java.nio.file.Files.move(tmp, dir.resolve("started-" + ProcessHandle.current().pid()));
      }
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
