package io.geneva.k8s;

import io.geneva.internal.util.SetOnce;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the head group and the worker groups have in common: the resources, placement and
 * environment of their pods. Maps are sorted, so rendering and digests do not depend on the order
 * options were given in.
 *
 * @param nodeSelector the node selector given, or empty for the group's default
 */
record PodShape(
    String cpus,
    String memory,
    int gpus,
    Optional<SortedMap<String, String>> nodeSelector,
    SortedMap<String, String> labels,
    List<Toleration> tolerations,
    SortedMap<String, String> env) {

  static final String DEFAULT_CPUS = "1";
  static final String DEFAULT_MEMORY = "4Gi";

  static PodShape defaults() {
    return new PodShape(DEFAULT_CPUS, DEFAULT_MEMORY, 0, Optional.empty(), sorted(Map.of()), List.of(),
        sorted(Map.of()));
  }

  static SortedMap<String, String> sorted(Map<String, String> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(map)));
  }

  /** The mutable half of a group builder. */
  static final class Builder {
    private final SetOnce once = new SetOnce();
    private String cpus;
    private String memory;
    private int gpus;
    private Optional<SortedMap<String, String>> nodeSelector;
    private SortedMap<String, String> labels;
    private final List<Toleration> tolerations;
    private final SortedMap<String, String> env;

    Builder(PodShape from) {
      cpus = from.cpus;
      memory = from.memory;
      gpus = from.gpus;
      nodeSelector = from.nodeSelector;
      labels = from.labels;
      tolerations = new ArrayList<>(from.tolerations);
      env = new TreeMap<>(from.env);
    }

    void cpus(String value) {
      once.set("cpus", value);
      cpus = value;
    }

    void memory(String value) {
      once.set("memory", value);
      memory = value;
    }

    void gpus(int value) {
      once.set("gpus", value);
      gpus = value;
    }

    void nodeSelector(Map<String, String> value) {
      once.set("nodeSelector", value);
      nodeSelector = Optional.of(sorted(value));
    }

    void labels(Map<String, String> value) {
      once.set("labels", value);
      labels = sorted(value);
    }

    void tolerations(List<Toleration> value) {
      once.set("tolerations", value);
      tolerations.clear();
      tolerations.addAll(List.copyOf(value));
    }

    void toleration(Toleration value) {
      tolerations.add(Objects.requireNonNull(value, "toleration"));
    }

    void env(Map<String, String> value) {
      once.set("env", value);
      env.clear();
      env.putAll(Map.copyOf(value));
    }

    void env(String name, String value) {
      once.set("env " + name, value);
      env.put(Objects.requireNonNull(name, "name"), value);
    }

    PodShape build() {
      return new PodShape(cpus, memory, gpus, nodeSelector, labels, List.copyOf(tolerations),
          sorted(env));
    }
  }
}
