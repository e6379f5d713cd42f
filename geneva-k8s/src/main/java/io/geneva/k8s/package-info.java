/**
 * Geneva on Kubernetes with the KubeRay operator: {@link io.geneva.k8s.KubeRay#cluster(String)}
 * describes a cluster ({@link io.geneva.k8s.KubeRayCluster}), {@link io.geneva.k8s.ClusterSpecFile}
 * reads the same description from YAML, and {@link io.geneva.k8s.RayClusterRenderer} turns it into
 * the {@code ray.io/v1} {@code RayCluster} resource the operator runs.
 *
 * <p>Public types here are the API; package-private classes are implementation and may change.
 */
@NullMarked
package io.geneva.k8s;

import org.jspecify.annotations.NullMarked;
