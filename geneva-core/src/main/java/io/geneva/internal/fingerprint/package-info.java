/** Stage 2: fingerprint files by content (SHA-256) with a persistent index keyed by path, size and mtime, so unchanged files are never read again. */
@NullMarked
package io.geneva.internal.fingerprint;

import org.jspecify.annotations.NullMarked;
