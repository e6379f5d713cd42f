/** The worker side: what runs on a node to bootstrap worker JVMs from a manifest and run their tasks. */
@NullMarked
package io.geneva.internal.worker;

import org.jspecify.annotations.NullMarked;
