/** Helpers for the pipeline's parallel stages, and the {@link io.geneva.internal.concurrent.Sleeper} every poll and back-off waits with. */
@NullMarked
package io.geneva.internal.concurrent;

import org.jspecify.annotations.NullMarked;
