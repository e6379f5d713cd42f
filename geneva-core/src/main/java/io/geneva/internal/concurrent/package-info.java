/** Helpers for the pipeline's parallel stages. */
@NullMarked
package io.geneva.internal.concurrent;

import org.jspecify.annotations.NullMarked;
