/** Small mechanisms every stage shares: set-once builder options, durations, JDK release files. Depends on nothing else of Geneva. */
@NullMarked
package io.geneva.internal.util;

import org.jspecify.annotations.NullMarked;
