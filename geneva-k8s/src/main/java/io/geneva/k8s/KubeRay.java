package io.geneva.k8s;

/**
 * Entry point to Geneva on Kubernetes with the KubeRay operator.
 *
 * <pre>{@code
 * try (GenevaSession session = Geneva.connect("s3://bucket/geneva")
 *         .cluster(KubeRay.cluster("dev").namespace("ml").image("registry.example.com/geneva-ray:2.39.0")
 *             .head(h -> h.cpus(4).memory("8Gi"))
 *             .workerGroup(w -> w.name("cpu").replicas(2).minReplicas(1).maxReplicas(20)
 *                                .idleTimeout(Duration.ofMinutes(10))))
 *         .open()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Static factories only.
 */
public final class KubeRay {
  /** The provisioner type of KubeRay clusters. */
  public static final String TYPE = "kuberay";

  private KubeRay() {}

  /**
   * A KubeRay cluster spec of this name with the defaults of {@link KubeRayCluster}: namespace
   * {@code default}, a head of one CPU and 4Gi, no worker groups. Set at least an image.
   *
   * <p>The name becomes the RayCluster's name, so it must be a DNS-1035 label of at most 53
   * characters (KubeRay's rule); that is checked with the rest of the spec, by {@link
   * KubeRayCluster#validate()}.
   */
  public static KubeRayCluster cluster(String name) {
    return KubeRayCluster.named(name);
  }
}
