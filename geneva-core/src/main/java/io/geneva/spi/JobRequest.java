package io.geneva.spi;

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
 */
public record JobRequest(
    String jobId, String taskClass, int partitions, int maxAttempts, Map<String, String> parameters, URI manifestUri) {
  /** Checks and copies the components. */
  public JobRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(taskClass, "taskClass");
    Objects.requireNonNull(manifestUri, "manifestUri");
    parameters = Map.copyOf(parameters);
    if (partitions < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("partitions and maxAttempts must be positive");
    }
  }
}
