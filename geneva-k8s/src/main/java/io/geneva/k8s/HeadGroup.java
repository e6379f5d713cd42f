package io.geneva.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Ray head pod of a KubeRay cluster: where the Ray control plane, the dashboard and Geneva's
 * job coordinator run.
 *
 * <pre>{@code
 * KubeRay.cluster("dev").head(h -> h.cpus(4).memory("8Gi"))
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link Builder} is mutable and not thread-safe. Values are checked
 * together when the cluster spec is validated ({@link KubeRayCluster#validate()}), so that every
 * problem is reported at once, named by its field.
 */
public final class HeadGroup {
  /** The CPUs of the head pod unless set: {@value}. */
  public static final String DEFAULT_CPUS = PodShape.DEFAULT_CPUS;

  /** The memory of the head pod unless set: {@value}. */
  public static final String DEFAULT_MEMORY = PodShape.DEFAULT_MEMORY;

  /** The node label the head pod selects unless a node selector is set (with value {@code "true"}). */
  public static final String NODE_SELECTOR_KEY = "geneva.lancedb.com/ray-head";

  private static final HeadGroup DEFAULTS = new HeadGroup(PodShape.defaults());

  private final PodShape pods;

  private HeadGroup(PodShape pods) {
    this.pods = pods;
  }

  /** A head of {@value #DEFAULT_CPUS} CPU and {@value #DEFAULT_MEMORY}, no GPU, on head nodes. */
  public static HeadGroup defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from this head group's values. */
  public Builder toBuilder() {
    return new Builder(pods);
  }

  /** The CPUs of the head container, a Kubernetes quantity such as {@code 4} or {@code 500m}. */
  public String cpus() {
    return pods.cpus();
  }

  /** The memory of the head container, a Kubernetes quantity such as {@code 8Gi}. */
  public String memory() {
    return pods.memory();
  }

  /** The NVIDIA GPUs of the head container, usually 0. */
  public int gpus() {
    return pods.gpus();
  }

  /** The node selector: the one set, or {@code {geneva.lancedb.com/ray-head: "true"}}. */
  public Map<String, String> nodeSelector() {
    return pods.nodeSelector().orElse(PodShape.sorted(Map.of(NODE_SELECTOR_KEY, "true")));
  }

  /** Kubernetes labels on the head pod. */
  public Map<String, String> labels() {
    return pods.labels();
  }

  /** Tolerations of the head pod. */
  public List<Toleration> tolerations() {
    return pods.tolerations();
  }

  /** Extra environment variables of the head's Geneva and Ray containers. */
  public Map<String, String> env() {
    return pods.env();
  }

  PodShape pods() {
    return pods;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadGroup h && resolved().equals(h.resolved());
  }

  @Override
  public int hashCode() {
    return resolved().hashCode();
  }

  private List<Object> resolved() {
    return List.of(cpus(), memory(), gpus(), nodeSelector(), labels(), tolerations(), env());
  }

  @Override
  public String toString() {
    return "HeadGroup[" + cpus() + " CPU, " + memory() + (gpus() > 0 ? ", " + gpus() + " GPU" : "") + "]";
  }

  /**
   * Builds a {@link HeadGroup}. Each option may be set once; a second call is an {@link
   * IllegalStateException}. Not thread-safe.
   */
  public static final class Builder {
    private final PodShape.Builder pods;

    private Builder(PodShape from) {
      this.pods = new PodShape.Builder(from);
    }

    /** Whole CPUs for the head container (requests and limits). */
    public Builder cpus(int cores) {
      pods.cpus(Integer.toString(cores));
      return this;
    }

    /** CPUs for the head container as a Kubernetes quantity: {@code 2}, {@code 0.5}, {@code 500m}. */
    public Builder cpus(String quantity) {
      pods.cpus(Objects.requireNonNull(quantity, "quantity"));
      return this;
    }

    /** Memory for the head container as a Kubernetes quantity, such as {@code 8Gi}. */
    public Builder memory(String quantity) {
      pods.memory(Objects.requireNonNull(quantity, "quantity"));
      return this;
    }

    /** NVIDIA GPUs for the head container (default 0). */
    public Builder gpus(int count) {
      pods.gpus(count);
      return this;
    }

    /** The node selector, replacing the default {@code geneva.lancedb.com/ray-head: "true"}; empty for none. */
    public Builder nodeSelector(Map<String, String> selector) {
      pods.nodeSelector(selector);
      return this;
    }

    /** Kubernetes labels on the head pod. */
    public Builder labels(Map<String, String> labels) {
      pods.labels(labels);
      return this;
    }

    /** The head pod's tolerations, replacing any added before. */
    public Builder tolerations(List<Toleration> tolerations) {
      pods.tolerations(tolerations);
      return this;
    }

    /** Adds a toleration to the head pod. */
    public Builder toleration(Toleration toleration) {
      pods.toleration(toleration);
      return this;
    }

    /** Environment variables of the head's Geneva and Ray containers, replacing any set before. */
    public Builder env(Map<String, String> variables) {
      pods.env(variables);
      return this;
    }

    /** Adds one environment variable to the head's Geneva and Ray containers. */
    public Builder env(String name, String value) {
      pods.env(name, value);
      return this;
    }

    /** The head group. Does not change this builder. */
    public HeadGroup build() {
      return new HeadGroup(pods.build());
    }
  }
}
