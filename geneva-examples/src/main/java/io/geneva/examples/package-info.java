/** Runnable programs that show how to embed Geneva. */
@NullMarked
package io.geneva.examples;

import org.jspecify.annotations.NullMarked;
