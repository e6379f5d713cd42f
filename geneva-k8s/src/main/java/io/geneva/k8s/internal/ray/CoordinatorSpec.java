package io.geneva.k8s.internal.ray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.TaskResources;
import io.geneva.spi.JobRequest;
import io.geneva.spi.ObjectKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the session tells the coordinator: the job, the worker groups the cluster may scale to, and
 * where the node's package cache is. It travels as JSON in the Ray job's {@value #ENV} environment
 * variable.
 *
 * @param request the job
 * @param groups the cluster's worker groups, largest count of pods each may reach
 * @param cacheDirectory the node's package cache directory in the pods
 * @param cacheMaxBytes the bound the actors keep the cache to
 * @param warmNodes 0 to run the job; otherwise, instead of running it, bootstrap its manifest on this
 *     many Ray nodes, one actor on each (a warmup)
 */
public record CoordinatorSpec(JobRequest request, List<Group> groups, String cacheDirectory, long cacheMaxBytes,
    int warmNodes) {
  /**
   * The coordinator's main class, by name: the session never loads it (it needs Ray's API, which
   * only the cluster image has).
   */
  public static final String MAIN_CLASS = "io.geneva.k8s.internal.ray.CoordinatorMain";

  /** The environment variable of the Ray job that carries the spec. */
  public static final String ENV = "GENEVA_JOB";

  /** Ray keeps this share of a node's memory for its object store; tasks get the rest. */
  static final double TASK_MEMORY_SHARE = 0.7;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A worker group as the coordinator plans with it.
   *
   * @param name the group's name
   * @param cpus CPUs of one pod
   * @param gpus GPUs of one pod
   * @param memoryBytes memory of one pod
   * @param maxReplicas the most pods the autoscaler may run
   */
  public record Group(String name, double cpus, int gpus, long memoryBytes, int maxReplicas) {
    /** How many tasks of this shape fit on one pod of the group at once. */
    int slots(TaskResources task) {
      double fit = Math.floor(cpus / task.cpus() + 1e-9);
      if (task.gpus() > 0) {
        fit = Math.min(fit, gpus / task.gpus());
      }
      if (task.memoryBytes() > 0) {
        fit = Math.min(fit, Math.floor(memoryBytes * TASK_MEMORY_SHARE / task.memoryBytes()));
      }
      return (int) Math.max(0, fit);
    }

    String describe() {
      return name + " (" + new TaskResources(cpus, gpus, memoryBytes).describe() + " per pod, at most " + maxReplicas
          + (maxReplicas == 1 ? " pod)" : " pods)");
    }
  }

  /** Checks the components. */
  public CoordinatorSpec {
    Objects.requireNonNull(request, "request");
    groups = List.copyOf(groups);
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    if (warmNodes < 0) {
      throw new IllegalArgumentException("warmNodes < 0: " + warmNodes);
    }
  }

  /** A spec that runs the job. */
  public CoordinatorSpec(JobRequest request, List<Group> groups, String cacheDirectory, long cacheMaxBytes) {
    this(request, groups, cacheDirectory, cacheMaxBytes, 0);
  }

  /** A warmup: the manifest bootstrapped on {@code nodes} nodes, one actor each, and nothing run. */
  public static CoordinatorSpec warmup(String id, URI manifestUri, int nodes, String cacheDirectory, long cacheMaxBytes) {
    JobRequest request = JobRequest.builder().jobId(id).taskClass("warmup").partitions(1).maxAttempts(1)
        .manifestUri(manifestUri).build();
    return new CoordinatorSpec(request, List.of(), cacheDirectory, cacheMaxBytes, nodes);
  }

  /** The same spec with the node cache in another directory. */
  public CoordinatorSpec withCacheDirectory(String directory) {
    return new CoordinatorSpec(request, groups, directory, cacheMaxBytes, warmNodes);
  }

  /** Where the coordinator writes a committed partition's result, under the manifest's storage root. */
  public static ObjectKey resultKey(String jobId, int partition) {
    return ObjectKey.of("jobs/" + jobId + "/" + partition + ".result");
  }

  /**
   * How many actors to start: one per task that fits on the pods every group may scale to, at most
   * one per partition.
   *
   * @throws IllegalArgumentException naming the request and every group, if no group can host a task
   */
  public int actors() {
    TaskResources task = request.resources();
    long total = 0;
    for (Group g : groups) {
      total += (long) g.slots(task) * g.maxReplicas();
    }
    if (total == 0) {
      List<String> described = groups.stream().map(Group::describe).toList();
      throw new IllegalArgumentException("job " + request.jobId() + " asks " + task.describe() + " per task, but no"
          + " worker group can host one: " + (described.isEmpty() ? "the cluster has no worker groups"
              : String.join("; ", described))
          + (task.memoryBytes() > 0 ? " (tasks get " + Math.round(TASK_MEMORY_SHARE * 100)
              + "% of a pod's memory; Ray keeps the rest for its object store)" : "")
          + "; add a worker group that large, or ask less per task");
    }
    return (int) Math.min(total, request.partitions());
  }

  /** The spec as JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode job = root.putObject("job");
    job.put("jobId", request.jobId());
    job.put("taskClass", request.taskClass());
    job.put("partitions", request.partitions());
    job.put("maxAttempts", request.maxAttempts());
    job.put("taskTimeout", request.taskTimeout().toString());
    ObjectNode parameters = job.putObject("parameters");
    request.parameters().forEach(parameters::put);
    job.put("manifestUri", request.manifestUri().toString());
    ObjectNode resources = job.putObject("resources");
    resources.put("cpus", request.resources().cpus());
    resources.put("gpus", request.resources().gpus());
    resources.put("memoryBytes", request.resources().memoryBytes());
    ArrayNode gs = root.putArray("groups");
    for (Group g : groups) {
      gs.addObject().put("name", g.name()).put("cpus", g.cpus()).put("gpus", g.gpus())
          .put("memoryBytes", g.memoryBytes()).put("maxReplicas", g.maxReplicas());
    }
    root.put("cacheDirectory", cacheDirectory);
    root.put("cacheMaxBytes", cacheMaxBytes);
    root.put("warmNodes", warmNodes);
    return root.toString();
  }

  /**
   * Reads a spec written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static CoordinatorSpec fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode job = require(root, "job");
      Map<String, String> parameters = new LinkedHashMap<>();
      require(job, "parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
      JsonNode r = require(job, "resources");
      JobRequest.Builder request = JobRequest.builder()
          .jobId(require(job, "jobId").asText())
          .taskClass(require(job, "taskClass").asText())
          .partitions(require(job, "partitions").asInt())
          .maxAttempts(require(job, "maxAttempts").asInt())
          .parameters(parameters)
          .manifestUri(URI.create(require(job, "manifestUri").asText()))
          .resources(new TaskResources(
              require(r, "cpus").asDouble(), require(r, "gpus").asInt(), require(r, "memoryBytes").asLong()));
      if (job.hasNonNull("taskTimeout")) {
        request.taskTimeout(java.time.Duration.parse(job.get("taskTimeout").asText()));
      }
      List<Group> groups = new ArrayList<>();
      for (JsonNode g : require(root, "groups")) {
        groups.add(new Group(require(g, "name").asText(), require(g, "cpus").asDouble(), require(g, "gpus").asInt(),
            require(g, "memoryBytes").asLong(), require(g, "maxReplicas").asInt()));
      }
      return new CoordinatorSpec(request.build(), groups, require(root, "cacheDirectory").asText(),
          require(root, "cacheMaxBytes").asLong(), root.path("warmNodes").asInt(0));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(ENV + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode require(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(ENV + " has no \"" + field + "\"; the session and the image's Geneva differ"
          + " in version");
    }
    return v;
  }
}
