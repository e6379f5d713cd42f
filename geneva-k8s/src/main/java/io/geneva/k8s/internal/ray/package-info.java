/**
 * Jobs on a KubeRay cluster. The session submits a Ray job through the Ray Jobs REST API on the
 * head ({@code io.geneva.k8s.RayJobsClient}); its entrypoint runs Geneva's {@link
 * io.geneva.k8s.internal.ray.Coordinator} on the head, which creates {@link io.geneva.k8s.internal.ray.GenevaActor}
 * worker actors through Ray's Java API and runs the job's partitions on them with the same {@link
 * io.geneva.internal.job.JobRunner} the local cluster uses. The coordinator reports progress as event lines
 * in its log and writes each committed partition's result into the manifest's storage, where the
 * session reads it. Only this package's coordinator and actor classes use Ray's API, which the
 * cluster image's Ray installation provides.
 */
@NullMarked
package io.geneva.k8s.internal.ray;

import org.jspecify.annotations.NullMarked;
