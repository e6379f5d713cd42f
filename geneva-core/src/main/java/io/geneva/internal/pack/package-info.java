/** Stage 3: plan stable shards of directories and write them as deterministic archives that are valid jars. */
@NullMarked
package io.geneva.internal.pack;

import org.jspecify.annotations.NullMarked;
