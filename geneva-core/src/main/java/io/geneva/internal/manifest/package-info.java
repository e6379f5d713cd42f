/** Stage 5: the manifest's canonical JSON form and its digest. */
@NullMarked
package io.geneva.internal.manifest;

import org.jspecify.annotations.NullMarked;
