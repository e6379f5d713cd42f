/** Helpers for the pipeline's parallel stages. */
@NullMarked
package io.geneva.concurrent;

import org.jspecify.annotations.NullMarked;
