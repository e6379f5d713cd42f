package io.geneva.k8s;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes toleration: lets a group's pods run on nodes with a matching taint, such as GPU
 * nodes tainted {@code nvidia.com/gpu:NoSchedule}.
 *
 * <pre>{@code
 * Toleration.exists("nvidia.com/gpu").effect(Toleration.Effect.NO_SCHEDULE)
 * Toleration.equal("dedicated", "ray")
 * }</pre>
 *
 * <p>Immutable and thread-safe. Values are checked when the cluster spec is validated.
 */
public final class Toleration {
  /** How the toleration matches a taint's value. */
  public enum Operator {
    /** The taint's value must equal the toleration's. */
    EQUAL("Equal"),
    /** Any value of the taint's key matches. */
    EXISTS("Exists");

    private final String kubernetesName;

    Operator(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The name Kubernetes uses, such as {@code Exists}. */
    public String kubernetesName() {
      return kubernetesName;
    }
  }

  /** The taint effect a toleration tolerates. */
  public enum Effect {
    /** New pods are not scheduled on the node. */
    NO_SCHEDULE("NoSchedule"),
    /** The scheduler tries not to place new pods on the node. */
    PREFER_NO_SCHEDULE("PreferNoSchedule"),
    /** Running pods are evicted from the node. */
    NO_EXECUTE("NoExecute");

    private final String kubernetesName;

    Effect(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The name Kubernetes uses, such as {@code NoSchedule}. */
    public String kubernetesName() {
      return kubernetesName;
    }
  }

  private final String key;
  private final Operator operator;
  private final Optional<String> value;
  private final Optional<Effect> effect;
  private final Optional<Duration> tolerationSeconds;

  private Toleration(String key, Operator operator, Optional<String> value, Optional<Effect> effect,
      Optional<Duration> tolerationSeconds) {
    this.key = key;
    this.operator = operator;
    this.value = value;
    this.effect = effect;
    this.tolerationSeconds = tolerationSeconds;
  }

  /** Tolerates taints with this key and value, of every effect. */
  public static Toleration equal(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return new Toleration(key, Operator.EQUAL, Optional.of(value), Optional.empty(), Optional.empty());
  }

  /** Tolerates taints with this key and any value, of every effect; an empty key tolerates every taint. */
  public static Toleration exists(String key) {
    Objects.requireNonNull(key, "key");
    return new Toleration(key, Operator.EXISTS, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This toleration, for one effect only. */
  public Toleration effect(Effect newEffect) {
    Objects.requireNonNull(newEffect, "effect");
    return new Toleration(key, operator, value, Optional.of(newEffect), tolerationSeconds);
  }

  /**
   * This toleration, limited in time: the pod stays this long on a node that gets the taint, then is
   * evicted. Only for the {@link Effect#NO_EXECUTE} effect; whole seconds.
   */
  public Toleration tolerationSeconds(Duration time) {
    Objects.requireNonNull(time, "time");
    return new Toleration(key, operator, value, effect, Optional.of(time));
  }

  /** The taint key; empty with {@link Operator#EXISTS} for every taint. */
  public String key() {
    return key;
  }

  /** How the value matches. */
  public Operator operator() {
    return operator;
  }

  /** The value, for {@link Operator#EQUAL}. */
  public Optional<String> value() {
    return value;
  }

  /** The one effect tolerated; empty for all. */
  public Optional<Effect> effect() {
    return effect;
  }

  /** How long a pod stays on a node tainted {@link Effect#NO_EXECUTE}; empty for forever. */
  public Optional<Duration> tolerationSeconds() {
    return tolerationSeconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Toleration t
        && key.equals(t.key)
        && operator == t.operator
        && value.equals(t.value)
        && effect.equals(t.effect)
        && tolerationSeconds.equals(t.tolerationSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, operator, value, effect, tolerationSeconds);
  }

  @Override
  public String toString() {
    return "Toleration[" + key + " " + operator.kubernetesName() + value.map(v -> " " + v).orElse("")
        + effect.map(e -> " " + e.kubernetesName()).orElse("")
        + tolerationSeconds.map(s -> " for " + s).orElse("") + "]";
  }
}
