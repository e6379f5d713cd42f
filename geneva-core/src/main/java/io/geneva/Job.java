package io.geneva;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A task class run over partitions: {@code Job.of(WordCount.class).partitions(64)}. Immutable and
 * thread-safe: every option returns a new job.
 *
 * @param <R> the result of one partition
 */
public final class Job<R> {
  /** The attempts a partition gets by default before the job fails. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /**
   * How long one attempt of one partition may run by default before it is abandoned: one hour. Set
   * a job's own with {@link #taskTimeout(Duration)}.
   */
  public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofHours(1);

  private final String taskClass;
  private final int partitions;
  private final int maxAttempts;
  private final Map<String, String> parameters;
  private final TaskResources resources;
  private final Duration taskTimeout;

  private Job(String taskClass, int partitions, int maxAttempts, Map<String, String> parameters,
      TaskResources resources, Duration taskTimeout) {
    this.taskClass = taskClass;
    this.partitions = partitions;
    this.maxAttempts = maxAttempts;
    this.parameters = parameters;
    this.resources = resources;
    this.taskTimeout = taskTimeout;
  }

  /** A job of one partition running {@code taskClass}, which must be on the shipped classpath. */
  public static <R> Job<R> of(Class<? extends Task<R>> taskClass) {
    Objects.requireNonNull(taskClass, "taskClass");
    return new Job<>(taskClass.getName(), 1, DEFAULT_MAX_ATTEMPTS, Map.of(), TaskResources.DEFAULT, DEFAULT_TASK_TIMEOUT);
  }

  /**
   * A job of one partition running the task class of this binary name, for callers that do not have
   * the class (a command line, a driver in another language). Its results are deserialized with the
   * thread's context class loader.
   */
  public static Job<Object> of(String taskClassName) {
    Objects.requireNonNull(taskClassName, "taskClassName");
    if (!taskClassName.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
      throw new IllegalArgumentException("\"" + taskClassName + "\" is not a Java class name");
    }
    return new Job<>(taskClassName, 1, DEFAULT_MAX_ATTEMPTS, Map.of(), TaskResources.DEFAULT, DEFAULT_TASK_TIMEOUT);
  }

  /**
   * This job over {@code count} partitions.
   *
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public Job<R> partitions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a job needs at least 1 partition, not " + count);
    }
    return new Job<>(taskClass, count, maxAttempts, parameters, resources, taskTimeout);
  }

  /**
   * This job giving each partition up to {@code attempts} attempts (default {@value
   * #DEFAULT_MAX_ATTEMPTS}); a partition that fails them all fails the job.
   */
  public Job<R> maxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
    }
    return new Job<>(taskClass, partitions, attempts, parameters, resources, taskTimeout);
  }

  /** This job with one more parameter, which every task sees in {@link TaskContext#parameters()}. */
  public Job<R> parameter(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> copy = new LinkedHashMap<>(parameters);
    copy.put(name, value);
    return new Job<>(taskClass, partitions, maxAttempts, Map.copyOf(copy), resources, taskTimeout);
  }

  /**
   * This job asking these resources for each task (default {@link TaskResources#DEFAULT}: one CPU).
   * A KubeRay cluster places each worker actor where they are free; see {@link TaskResources}.
   */
  public Job<R> resources(TaskResources perTask) {
    Objects.requireNonNull(perTask, "perTask");
    return new Job<>(taskClass, partitions, maxAttempts, parameters, perTask, taskTimeout);
  }

  /**
   * This job abandoning an attempt that runs longer than timeout (default {@link
   * #DEFAULT_TASK_TIMEOUT}, one hour). The attempt's worker is stopped, since its task may ignore
   * interruption, and replaced; the partition is retried on another worker, and a partition whose
   * every attempt times out fails the job with a {@link JobException} naming the timeout.
   *
   * @throws IllegalArgumentException if timeout is zero or negative
   */
  public Job<R> taskTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("taskTimeout must be longer than 0, not " + timeout
          + "; for a task without a practical limit, pass a long duration such as Duration.ofDays(365)");
    }
    return new Job<>(taskClass, partitions, maxAttempts, parameters, resources, timeout);
  }

  /** How long one attempt may run before it is abandoned. */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /** What each task asks of its worker. */
  public TaskResources resources() {
    return resources;
  }

  /** The task class's binary name. */
  public String taskClass() {
    return taskClass;
  }

  /** The number of partitions. */
  public int partitions() {
    return partitions;
  }

  /** The attempts each partition gets. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The parameters every task sees. */
  public Map<String, String> parameters() {
    return parameters;
  }

  @Override
  public String toString() {
    return "Job[" + taskClass + " x " + partitions + "]";
  }
}
