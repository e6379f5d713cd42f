/**
 * Jobs: planning partitions over workers, retrying failed attempts on other workers (this is where a
 * partition is retried: {@link io.geneva.internal.job.JobRunner}), and committing results in
 * partition order. One piece of code for every cluster type; only the {@link
 * io.geneva.internal.job.Worker} transport differs.
 */
@NullMarked
package io.geneva.internal.job;

import org.jspecify.annotations.NullMarked;
