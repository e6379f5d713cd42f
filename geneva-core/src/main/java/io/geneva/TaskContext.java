package io.geneva;

import java.util.Map;
import java.util.Optional;

/** What a {@link Task} knows about the partition it runs. Implemented by Geneva; immutable. */
public interface TaskContext {

  /** This partition's index, from 0 to {@link #partitions()} - 1. */
  int partition();

  /** How many partitions the job has. */
  int partitions();

  /** Which attempt at this partition this is, starting at 1. */
  int attempt();

  /** The job's id, the same for every partition. */
  String jobId();

  /** The worker running this attempt, as reported in {@link PartitionReport#worker()}. */
  String worker();

  /** The job's parameters ({@link Job#parameter(String, String)}). */
  Map<String, String> parameters();

  /** One job parameter, if it was set. */
  default Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters().get(name));
  }
}
