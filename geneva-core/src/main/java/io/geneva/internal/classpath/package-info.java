/** Stage 1: resolve the classpath into entries, classify them, and walk directories into file records. */
@NullMarked
package io.geneva.internal.classpath;

import org.jspecify.annotations.NullMarked;
