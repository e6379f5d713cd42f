/** Small mechanisms every stage shares: set-once builder options, atomic file writes. */
@NullMarked
package io.geneva.internal.util;

import org.jspecify.annotations.NullMarked;
