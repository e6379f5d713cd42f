/**
 * The KubeRay cluster provisioner on the official Kubernetes Java client. Filled by a later issue; the module exists so the build and its dependency graph are in place.
 */
@NullMarked
package io.geneva.k8s;

import org.jspecify.annotations.NullMarked;
