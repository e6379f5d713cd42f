package io.geneva.k8s;

import io.geneva.internal.util.SetOnce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A group of identical Ray worker pods that Ray's autoscaler grows and shrinks between {@link
 * #minReplicas()} and {@link #maxReplicas()}.
 *
 * <pre>{@code
 * KubeRay.cluster("dev")
 *     .workerGroup(w -> w.name("cpu").replicas(2).minReplicas(1).maxReplicas(20)
 *                        .idleTimeout(Duration.ofMinutes(10)))
 *     .workerGroup(w -> w.name("gpu").gpus(1).maxReplicas(4))
 * }</pre>
 *
 * <p><b>GPU groups.</b> A group with {@code gpus} of 1 or more is a GPU group: its pods ask for
 * {@code nvidia.com/gpu} and by default select nodes labelled {@code
 * geneva.lancedb.com/ray-worker-gpu: "true"}; other groups select {@code
 * geneva.lancedb.com/ray-worker-cpu: "true"}. A group that is meant for GPUs but asks for none is
 * refused: one whose name has the word {@code gpu} or {@code gpus} (such as {@code gpu} or {@code
 * a100-gpu}), or whose node selector selects {@code geneva.lancedb.com/ray-worker-gpu}. So is a GPU
 * group whose node selector selects {@code geneva.lancedb.com/ray-worker-cpu}.
 *
 * <p><b>Replicas.</b> Unless set, {@code minReplicas} is 0, {@code replicas} (the size the group
 * starts at) is {@code minReplicas}, and {@code maxReplicas} is the larger of {@code replicas} and 1.
 *
 * <p>Immutable and thread-safe; {@link Builder} is mutable and not thread-safe. Values are checked
 * together when the cluster spec is validated ({@link KubeRayCluster#validate()}).
 */
public final class WorkerGroup {
  /** The CPUs of a worker pod unless set: {@value}. */
  public static final String DEFAULT_CPUS = PodShape.DEFAULT_CPUS;

  /** The memory of a worker pod unless set: {@value}. */
  public static final String DEFAULT_MEMORY = PodShape.DEFAULT_MEMORY;

  /** The node label CPU groups select unless a node selector is set (with value {@code "true"}). */
  public static final String CPU_NODE_SELECTOR_KEY = "geneva.lancedb.com/ray-worker-cpu";

  /** The node label GPU groups select unless a node selector is set (with value {@code "true"}). */
  public static final String GPU_NODE_SELECTOR_KEY = "geneva.lancedb.com/ray-worker-gpu";

  private final String name;
  private final PodShape pods;
  private final @Nullable Integer replicas;
  private final @Nullable Integer minReplicas;
  private final @Nullable Integer maxReplicas;
  private final Optional<Duration> idleTimeout;

  private WorkerGroup(Builder b) {
    this.name = b.name;
    this.pods = b.pods.build();
    this.replicas = b.replicas;
    this.minReplicas = b.minReplicas;
    this.maxReplicas = b.maxReplicas;
    this.idleTimeout = b.idleTimeout;
  }

  /** A builder for a worker group of {@value #DEFAULT_CPUS} CPU and {@value #DEFAULT_MEMORY}; name it. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this group's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The group's name, unique in its cluster; empty until set, which validation refuses. */
  public String name() {
    return name;
  }

  /** The CPUs of each worker container, a Kubernetes quantity such as {@code 4} or {@code 500m}. */
  public String cpus() {
    return pods.cpus();
  }

  /** The memory of each worker container, a Kubernetes quantity such as {@code 16Gi}. */
  public String memory() {
    return pods.memory();
  }

  /** The NVIDIA GPUs of each worker container; 1 or more makes this a GPU group. */
  public int gpus() {
    return pods.gpus();
  }

  /** Whether this is a GPU group: it asks for at least one GPU. */
  public boolean isGpuGroup() {
    return pods.gpus() > 0;
  }

  /** The number of pods the group starts with. */
  public int replicas() {
    return replicas != null ? replicas : minReplicas();
  }

  /** The fewest pods the autoscaler keeps. */
  public int minReplicas() {
    return minReplicas != null ? minReplicas : 0;
  }

  /** The most pods the autoscaler makes. */
  public int maxReplicas() {
    return maxReplicas != null ? maxReplicas : Math.max(1, Math.max(replicas(), minReplicas()));
  }

  /** How long a worker pod stays idle before the autoscaler removes it; empty for the cluster's. */
  public Optional<Duration> idleTimeout() {
    return idleTimeout;
  }

  /**
   * The node selector: the one set, or {@code geneva.lancedb.com/ray-worker-gpu: "true"} for a GPU
   * group and {@code geneva.lancedb.com/ray-worker-cpu: "true"} for others.
   */
  public Map<String, String> nodeSelector() {
    return pods.nodeSelector().orElse(PodShape.sorted(
        Map.of(isGpuGroup() ? GPU_NODE_SELECTOR_KEY : CPU_NODE_SELECTOR_KEY, "true")));
  }

  /** Kubernetes labels on the group's pods. */
  public Map<String, String> labels() {
    return pods.labels();
  }

  /** Tolerations of the group's pods. */
  public List<Toleration> tolerations() {
    return pods.tolerations();
  }

  /** Extra environment variables of the group's Geneva and Ray containers. */
  public Map<String, String> env() {
    return pods.env();
  }

  PodShape pods() {
    return pods;
  }

  /** Whether a node selector was set (else the default applies). */
  boolean hasOwnNodeSelector() {
    return pods.nodeSelector().isPresent();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerGroup w && resolved().equals(w.resolved());
  }

  @Override
  public int hashCode() {
    return resolved().hashCode();
  }

  private List<Object> resolved() {
    List<Object> values = new ArrayList<>(List.of(name, cpus(), memory(), gpus(), replicas(), minReplicas(),
        maxReplicas(), nodeSelector(), labels(), tolerations(), env()));
    values.add(idleTimeout);
    return values;
  }

  @Override
  public String toString() {
    return "WorkerGroup[" + name + ", " + cpus() + " CPU, " + memory()
        + (gpus() > 0 ? ", " + gpus() + " GPU" : "") + ", " + minReplicas() + ".." + maxReplicas() + "]";
  }

  /**
   * Builds a {@link WorkerGroup}. Each option may be set once; a second call is an {@link
   * IllegalStateException}. Not thread-safe.
   */
  public static final class Builder {
    private final SetOnce once = new SetOnce();
    private String name;
    private final PodShape.Builder pods;
    private @Nullable Integer replicas;
    private @Nullable Integer minReplicas;
    private @Nullable Integer maxReplicas;
    private Optional<Duration> idleTimeout;

    private Builder() {
      name = "";
      pods = new PodShape.Builder(PodShape.defaults());
      idleTimeout = Optional.empty();
    }

    private Builder(WorkerGroup from) {
      name = from.name;
      pods = new PodShape.Builder(from.pods);
      replicas = from.replicas;
      minReplicas = from.minReplicas;
      maxReplicas = from.maxReplicas;
      idleTimeout = from.idleTimeout;
    }

    /** The group's name: a DNS-1123 label, unique in the cluster, such as {@code cpu}. */
    public Builder name(String groupName) {
      once.set("name", groupName);
      name = groupName;
      return this;
    }

    /** Whole CPUs for each worker container (requests and limits). */
    public Builder cpus(int cores) {
      pods.cpus(Integer.toString(cores));
      return this;
    }

    /** CPUs for each worker container as a Kubernetes quantity: {@code 2}, {@code 0.5}, {@code 500m}. */
    public Builder cpus(String quantity) {
      pods.cpus(Objects.requireNonNull(quantity, "quantity"));
      return this;
    }

    /** Memory for each worker container as a Kubernetes quantity, such as {@code 16Gi}. */
    public Builder memory(String quantity) {
      pods.memory(Objects.requireNonNull(quantity, "quantity"));
      return this;
    }

    /** NVIDIA GPUs for each worker container; 1 or more makes this a GPU group. */
    public Builder gpus(int count) {
      pods.gpus(count);
      return this;
    }

    /** The number of pods the group starts with. */
    public Builder replicas(int count) {
      once.set("replicas", count);
      replicas = count;
      return this;
    }

    /** The fewest pods the autoscaler keeps (default 0). */
    public Builder minReplicas(int count) {
      once.set("minReplicas", count);
      minReplicas = count;
      return this;
    }

    /** The most pods the autoscaler makes. */
    public Builder maxReplicas(int count) {
      once.set("maxReplicas", count);
      maxReplicas = count;
      return this;
    }

    /**
     * How long a worker pod stays idle before the autoscaler removes it, overriding the cluster's
     * {@link KubeRayCluster#idleTimeout()} for this group; whole seconds.
     */
    public Builder idleTimeout(Duration timeout) {
      once.set("idleTimeout", timeout);
      idleTimeout = Optional.of(timeout);
      return this;
    }

    /** The node selector, replacing the CPU or GPU default; empty for none. */
    public Builder nodeSelector(Map<String, String> selector) {
      pods.nodeSelector(selector);
      return this;
    }

    /** Kubernetes labels on the group's pods. */
    public Builder labels(Map<String, String> labels) {
      pods.labels(labels);
      return this;
    }

    /** The group's tolerations, replacing any added before. */
    public Builder tolerations(List<Toleration> tolerations) {
      pods.tolerations(tolerations);
      return this;
    }

    /** Adds a toleration to the group's pods. */
    public Builder toleration(Toleration toleration) {
      pods.toleration(toleration);
      return this;
    }

    /** Environment variables of the group's Geneva and Ray containers, replacing any set before. */
    public Builder env(Map<String, String> variables) {
      pods.env(variables);
      return this;
    }

    /** Adds one environment variable to the group's Geneva and Ray containers. */
    public Builder env(String name, String value) {
      pods.env(name, value);
      return this;
    }

    /** The worker group. Does not change this builder. */
    public WorkerGroup build() {
      return new WorkerGroup(this);
    }
  }
}
