/**
 * The worker side: what runs on a node (a local worker JVM, a KubeRay pod, a Ray actor). {@link
 * io.geneva.internal.worker.Bootstrapper} turns a manifest URI into a class loader over the node
 * cache's jars (this is where a worker's class loader is built); {@link
 * io.geneva.internal.worker.NodeCache} fetches, verifies, leases and evicts packages; {@link
 * io.geneva.internal.worker.TaskExecution} runs one task attempt; {@link
 * io.geneva.internal.worker.WorkerMain} and {@link io.geneva.internal.worker.BootstrapMain} are the
 * processes' entry points.
 */
@NullMarked
package io.geneva.internal.worker;

import org.jspecify.annotations.NullMarked;
