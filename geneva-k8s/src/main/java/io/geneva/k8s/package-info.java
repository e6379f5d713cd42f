/**
 * Geneva on Kubernetes with the KubeRay operator: {@link io.geneva.k8s.KubeRay#cluster(String)}
 * describes a cluster ({@link io.geneva.k8s.KubeRayCluster}), {@link io.geneva.k8s.ClusterSpecFile}
 * reads the same description from YAML, {@link io.geneva.k8s.RayClusterRenderer} turns it into the
 * {@code ray.io/v1} {@code RayCluster} resource the operator runs, and {@link
 * io.geneva.k8s.KubeRayProvisioner} (the {@code kuberay} provisioner, found by ServiceLoader) creates,
 * reuses, patches or replaces that resource, waits until it is ready, and tears it down, reaching the
 * API server as {@link io.geneva.k8s.KubeAccess} says.
 *
 * <p>Public types here are the API; package-private classes are implementation and may change.
 */
@NullMarked
package io.geneva.k8s;

import org.jspecify.annotations.NullMarked;
