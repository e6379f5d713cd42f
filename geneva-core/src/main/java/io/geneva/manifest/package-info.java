/** Stage 5: the manifest's canonical JSON form and its digest. */
@NullMarked
package io.geneva.manifest;

import org.jspecify.annotations.NullMarked;
