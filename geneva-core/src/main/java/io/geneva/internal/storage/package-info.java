/** Stage 4: storage selection, the file storage, and the local record of what a storage root is known to hold. */
@NullMarked
package io.geneva.internal.storage;

import org.jspecify.annotations.NullMarked;
