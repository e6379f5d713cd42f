package io.geneva;

/**
 * A unit of work that runs on a worker, once per partition of a {@link Job}.
 *
 * <p>The class comes from the shipped classpath, not from Geneva: a worker loads it from the
 * session's manifest and creates one instance per partition attempt through its public no-argument
 * constructor. The result travels back to the session by Java serialization, so it must be {@link
 * java.io.Serializable} (or null). A task that throws is retried, on another worker where there is
 * one, up to the job's {@link Job#maxAttempts(int) attempt limit}; it should therefore be safe to run
 * again.
 *
 * @param <R> the result of one partition
 */
@FunctionalInterface
public interface Task<R> {

  /**
   * Runs one partition.
   *
   * @param context which partition this is, and the job's parameters
   * @return this partition's result
   * @throws Exception anything: the job reports it with the partition and the worker
   */
  R run(TaskContext context) throws Exception;
}
