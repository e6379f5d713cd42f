package io.geneva.spi;

import io.geneva.TaskResources;
import java.net.URI;
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
 * @param manifestUri the manifest the workers run
 * @param resources what each task asks of its worker
 */
public record JobRequest(
    String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri,
    TaskResources resources) {
  /** Checks and copies the components. */
  public JobRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(taskClass, "taskClass");
    Objects.requireNonNull(manifestUri, "manifestUri");
    Objects.requireNonNull(resources, "resources");
    parameters = Map.copyOf(parameters);
    if (partitions < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("partitions and maxAttempts must be positive");
    }
  }

  /** A request whose tasks ask for {@link TaskResources#DEFAULT}. */
  public JobRequest(
      String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri) {
    this(jobId, taskClass, partitions, maxAttempts, parameters, manifestUri, TaskResources.DEFAULT);
  }
}
