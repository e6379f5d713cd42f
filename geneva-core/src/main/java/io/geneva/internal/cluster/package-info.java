/**
 * Provisioning: selecting a {@link io.geneva.spi.ClusterProvisioner} by spec type, and the {@code
 * local} provisioner, whose workers are JVM processes on this machine reached over loopback sockets.
 */
@NullMarked
package io.geneva.internal.cluster;

import org.jspecify.annotations.NullMarked;
