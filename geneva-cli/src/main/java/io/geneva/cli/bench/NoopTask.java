package io.geneva.cli.bench;

import io.geneva.Task;
import io.geneva.TaskContext;

/**
 * The task of scenario F: does nothing and returns its partition, so a job's time is Geneva's own
 * cost of running a task on a worker. Public with a public constructor, as a worker creates it.
 */
public final class NoopTask implements Task<Integer> {
  /** For workers. */
  public NoopTask() {}

  @Override
  public Integer run(TaskContext context) {
    return context.partition();
  }
}
