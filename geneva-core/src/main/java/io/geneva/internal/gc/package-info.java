/** Garbage collection of a storage root: deleting what no kept manifest references. */
@NullMarked
package io.geneva.internal.gc;

import org.jspecify.annotations.NullMarked;
