package io.geneva.k8s;

import io.geneva.ExitPolicy;
import java.time.Duration;
import java.util.Map;

/** Specs the tests share. */
final class Specs {
  static final String IMAGE = "registry.example.com/geneva-ray:2.39.0";

  private Specs() {}

  /** The least a valid spec needs: a name and an image. */
  static KubeRayCluster minimal() {
    return KubeRay.cluster("dev").image(IMAGE);
  }

  /** DESIGN.md's example, with an image. */
  static KubeRayCluster design() {
    return KubeRay.cluster("dev").namespace("ml").image(IMAGE)
        .head(h -> h.cpus(4).memory("8Gi"))
        .workerGroup(w -> w.name("cpu").replicas(2).minReplicas(1).maxReplicas(20)
            .idleTimeout(Duration.ofMinutes(10)));
  }

  /** Nearly every option: separate images, GPUs, tolerations, a credentials Secret, a host path cache. */
  static KubeRayCluster full() {
    return KubeRay.cluster("prod-ray").namespace("ml-jobs")
        .headImage("registry.example.com/geneva-ray-head:2.39.0")
        .workerImage("registry.example.com/geneva-ray-gpu:2.39.0")
        .serviceAccount("geneva-runner")
        .credentialsSecret("geneva-s3")
        .idleTimeout(Duration.ofMinutes(5))
        .exitPolicy(ExitPolicy.RETAIN_ON_FAILURE)
        .rayVersion("2.39.0")
        .nodeCache(NodeCacheVolume.hostPath("/mnt/disks/geneva"))
        .head(h -> h.cpus("3500m").memory("12Gi")
            .nodeSelector(Map.of("pool", "ray-head"))
            .labels(Map.of("team", "ml", "app.example.com/tier", "head"))
            .toleration(Toleration.equal("dedicated", "ray").effect(Toleration.Effect.NO_SCHEDULE))
            .env(Map.of("JAVA_TOOL_OPTIONS", "-Xmx8g", "RAY_LOG_LEVEL", "info")))
        .workerGroup(w -> w.name("cpu").cpus(8).memory("32Gi").replicas(2).minReplicas(1).maxReplicas(20)
            .idleTimeout(Duration.ofMinutes(10))
            .labels(Map.of("team", "ml")))
        .workerGroup(w -> w.name("gpu").cpus("7.5").memory("60Gi").gpus(2).maxReplicas(4)
            .toleration(Toleration.exists("nvidia.com/gpu").effect(Toleration.Effect.NO_SCHEDULE))
            .toleration(Toleration.exists("spot").effect(Toleration.Effect.NO_EXECUTE)
                .tolerationSeconds(Duration.ofSeconds(300)))
            .env("NVIDIA_VISIBLE_DEVICES", "all"));
  }
}
