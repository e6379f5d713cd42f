package io.geneva.internal.cluster;

import io.geneva.ConfigurationException;
import io.geneva.spi.ClusterProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the provisioner for a spec's type among those ServiceLoader knows. */
public final class ClusterProvisioners {
  private ClusterProvisioners() {}

  /**
   * The one provisioner of this type.
   *
   * @throws ConfigurationException if none or several serve it
   */
  public static ClusterProvisioner forType(String type) {
    List<ClusterProvisioner> all = new ArrayList<>();
    ServiceLoader.load(ClusterProvisioner.class, ClusterProvisioners.class.getClassLoader()).forEach(all::add);
    return select(type, all);
  }

  static ClusterProvisioner select(String type, List<ClusterProvisioner> all) {
    List<ClusterProvisioner> matching = all.stream().filter(p -> p.type().equals(type)).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      TreeSet<String> known = new TreeSet<>();
      all.forEach(p -> known.add(p.type()));
      String hint = type.equals("kuberay") ? "; add the geneva-k8s module to the classpath" : "";
      throw new ConfigurationException(
          "no cluster provisioner for type \"" + type + "\" (known: " + String.join(", ", known) + ")" + hint);
    }
    throw new ConfigurationException("cluster type \"" + type + "\" is served by several provisioners ("
        + matching.stream().map(p -> p.getClass().getName()).toList() + "); remove all but one from the classpath");
  }
}
