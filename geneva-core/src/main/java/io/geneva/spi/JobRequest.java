package io.geneva.spi;

import io.geneva.Job;
import io.geneva.TaskResources;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A job as a cluster receives it.
 *
 * @param jobId the job's id
 * @param taskClass the task class's binary name, loaded from the manifest's classpath
 * @param partitions the number of partitions
 * @param maxAttempts attempts per partition
 * @param parameters the job's parameters
 * @param manifestUri the manifest the workers run: a {@linkplain ManifestUri manifest URI}, checked here
 * @param resources what each task asks of its worker
 * @param taskTimeout how long one attempt may run before it is abandoned and its worker stopped
 */
public record JobRequest(
    String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri,
    TaskResources resources, Duration taskTimeout) {
  /**
   * Checks and copies the components.
   *
   * @throws IllegalArgumentException if {@code manifestUri} is not a manifest URI, a count is not
   *     positive, or {@code taskTimeout} is not positive
   */
  public JobRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(taskClass, "taskClass");
    ManifestUri.of(Objects.requireNonNull(manifestUri, "manifestUri"));
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(taskTimeout, "taskTimeout");
    if (taskTimeout.isZero() || taskTimeout.isNegative()) {
      throw new IllegalArgumentException("taskTimeout must be positive, not " + taskTimeout);
    }
    parameters = Map.copyOf(parameters);
    if (partitions < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("partitions and maxAttempts must be positive");
    }
  }

  /** A request with {@link Job#DEFAULT_TASK_TIMEOUT}. */
  public JobRequest(
      String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri,
      TaskResources resources) {
    this(jobId, taskClass, partitions, maxAttempts, parameters, manifestUri, resources, Job.DEFAULT_TASK_TIMEOUT);
  }

  /** A request whose tasks ask for {@link TaskResources#DEFAULT}, with {@link Job#DEFAULT_TASK_TIMEOUT}. */
  public JobRequest(
      String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri) {
    this(jobId, taskClass, partitions, maxAttempts, parameters, manifestUri, TaskResources.DEFAULT);
  }

  /** {@link #manifestUri()} as the value type that splits it into storage root and digest. */
  public ManifestUri manifest() {
    return ManifestUri.of(manifestUri);
  }
}
