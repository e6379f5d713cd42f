/** Storage selection by URI scheme ({@link io.geneva.spi.StorageProvider}s), and the file storage. */
@NullMarked
package io.geneva.internal.storage;

import org.jspecify.annotations.NullMarked;
