package io.geneva.testfixture;

import io.geneva.Task;
import io.geneva.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * On its first attempt at the partition named by the "block" parameter, writes its process id into
 * "<dir>/started-<pid>" (parameter "dir") and blocks until it is killed; every other attempt returns
 * its partition times ten.
 */
public class BlockOnceTask implements Task<Integer> {
  @Override
  public Integer run(TaskContext context) throws Exception {
    int block = Integer.parseInt(context.parameter("block").orElseThrow());
    if (context.partition() == block && context.attempt() == 1) {
      Path dir = Path.of(context.parameter("dir").orElseThrow());
      Files.writeString(dir.resolve("started-" + ProcessHandle.current().pid() + ".tmp"), context.worker());
      Files.move(dir.resolve("started-" + ProcessHandle.current().pid() + ".tmp"),
          dir.resolve("started-" + ProcessHandle.current().pid()));
      new CountDownLatch(1).await();
    }
    return context.partition() * 10;
  }
}
