package io.geneva.spi;

import io.geneva.Job;
import io.geneva.TaskResources;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job as a cluster receives it: which task class to run over how many partitions, with what
 * parameters and resources, from which manifest.
 *
 * <p>A value: immutable, thread-safe and compared by its fields. It is built with a {@link
 * #builder()} (Geneva builds it for each job a session submits; tests and tools may too), not a
 * constructor, so a field added later breaks no cluster plugin and no caller. {@code jobId}, {@code
 * taskClass}, {@code partitions}, {@code maxAttempts} and {@code manifestUri} must be set; a request
 * whose builder leaves the others unset has no parameters, asks {@link TaskResources#DEFAULT} of its
 * worker, and lets an attempt run for {@link Job#DEFAULT_TASK_TIMEOUT}.
 */
public final class JobRequest {
  private final String jobId;
  private final String taskClass;
  private final int partitions;
  private final int maxAttempts;
  private final Map<String, String> parameters;
  private final URI manifestUri;
  private final TaskResources resources;
  private final Duration taskTimeout;

  private JobRequest(Builder b) {
    this.jobId = required(b.jobId, "jobId");
    this.taskClass = required(b.taskClass, "taskClass");
    int partitions = required(b.partitions, "partitions");
    int maxAttempts = required(b.maxAttempts, "maxAttempts");
    URI manifestUri = required(b.manifestUri, "manifestUri");
    ManifestUri.of(manifestUri);
    if (b.taskTimeout.isZero() || b.taskTimeout.isNegative()) {
      throw new IllegalArgumentException("taskTimeout must be positive, not " + b.taskTimeout);
    }
    this.parameters = Map.copyOf(b.parameters);
    if (partitions < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("partitions and maxAttempts must be positive");
    }
    this.partitions = partitions;
    this.maxAttempts = maxAttempts;
    this.manifestUri = manifestUri;
    this.resources = b.resources;
    this.taskTimeout = b.taskTimeout;
  }

  private static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalStateException("a job request needs its " + field + "; set it on the builder");
    }
    return value;
  }

  /**
   * A builder with no parameters, {@link TaskResources#DEFAULT} and {@link Job#DEFAULT_TASK_TIMEOUT};
   * {@code jobId}, {@code taskClass}, {@code partitions}, {@code maxAttempts} and {@code manifestUri}
   * must be set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .jobId(jobId)
        .taskClass(taskClass)
        .partitions(partitions)
        .maxAttempts(maxAttempts)
        .parameters(parameters)
        .manifestUri(manifestUri)
        .resources(resources)
        .taskTimeout(taskTimeout);
  }

  /** The job's id. */
  public String jobId() {
    return jobId;
  }

  /** The task class's binary name, loaded from the manifest's classpath. */
  public String taskClass() {
    return taskClass;
  }

  /** The number of partitions (positive). */
  public int partitions() {
    return partitions;
  }

  /** Attempts per partition (positive). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The job's parameters; unmodifiable. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** The manifest the workers run: a {@linkplain ManifestUri manifest URI}, checked when the request is built. */
  public URI manifestUri() {
    return manifestUri;
  }

  /** What each task asks of its worker. */
  public TaskResources resources() {
    return resources;
  }

  /** How long one attempt may run before it is abandoned and its worker stopped (positive). */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /** {@link #manifestUri()} as the value type that splits it into storage root and digest. */
  public ManifestUri manifest() {
    return ManifestUri.of(manifestUri);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof JobRequest r
        && jobId.equals(r.jobId)
        && taskClass.equals(r.taskClass)
        && partitions == r.partitions
        && maxAttempts == r.maxAttempts
        && parameters.equals(r.parameters)
        && manifestUri.equals(r.manifestUri)
        && resources.equals(r.resources)
        && taskTimeout.equals(r.taskTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, taskClass, partitions, maxAttempts, parameters, manifestUri, resources, taskTimeout);
  }

  /**
   * The request for logs and debuggers: every field, but only the names of the parameters, whose
   * values may be secret.
   */
  @Override
  public String toString() {
    return "JobRequest[jobId=" + jobId + ", taskClass=" + taskClass + ", partitions=" + partitions
        + ", maxAttempts=" + maxAttempts + ", parameters=" + parameters.keySet().stream().sorted().toList()
        + ", manifestUri=" + manifestUri + ", resources=" + resources + ", taskTimeout=" + taskTimeout + "]";
  }

  /**
   * Builds a {@link JobRequest}. Each setter replaces what an earlier call set (so {@link
   * #toBuilder()} can derive a copy); the parameters are copied, and every field checked, by {@link
   * #build()}. Mutable and not thread-safe; {@code build()} leaves it unchanged and may be called again.
   */
  public static final class Builder {
    private @Nullable String jobId;
    private @Nullable String taskClass;
    private @Nullable Integer partitions;
    private @Nullable Integer maxAttempts;
    private Map<String, String> parameters = Map.of();
    private @Nullable URI manifestUri;
    private TaskResources resources = TaskResources.DEFAULT;
    private Duration taskTimeout = Job.DEFAULT_TASK_TIMEOUT;

    private Builder() {}

    /** Sets {@link JobRequest#jobId()} (required). */
    public Builder jobId(String jobId) {
      this.jobId = Objects.requireNonNull(jobId, "jobId");
      return this;
    }

    /** Sets {@link JobRequest#taskClass()}: a binary class name (required). */
    public Builder taskClass(String taskClass) {
      this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
      return this;
    }

    /** Sets {@link JobRequest#partitions()} (required; {@link #build()} checks that it is positive). */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Sets {@link JobRequest#maxAttempts()} (required; {@link #build()} checks that it is positive). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Sets {@link JobRequest#parameters()} (none if not set). */
    public Builder parameters(Map<String, String> parameters) {
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      return this;
    }

    /** Sets {@link JobRequest#manifestUri()} (required; {@link #build()} checks that it is a manifest URI). */
    public Builder manifestUri(URI manifestUri) {
      this.manifestUri = Objects.requireNonNull(manifestUri, "manifestUri");
      return this;
    }

    /** Sets {@link JobRequest#resources()} ({@link TaskResources#DEFAULT} if not set). */
    public Builder resources(TaskResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Sets {@link JobRequest#taskTimeout()} ({@link Job#DEFAULT_TASK_TIMEOUT} if not set; {@link
     * #build()} checks that it is positive).
     */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = Objects.requireNonNull(taskTimeout, "taskTimeout");
      return this;
    }

    /**
     * The request, holding a copy of the parameters.
     *
     * @throws IllegalStateException naming the field, if a required field was not set
     * @throws IllegalArgumentException if {@code manifestUri} is not a manifest URI, a count is not
     *     positive, or {@code taskTimeout} is not positive
     * @throws NullPointerException if the parameters hold null
     */
    public JobRequest build() {
      return new JobRequest(this);
    }
  }
}
