/**
 * Stage 4: what is uploaded and what is not. {@link io.geneva.internal.publish.Publisher} decides
 * and uploads (its Javadoc lists the steps), {@link io.geneva.internal.publish.ProvidedPackages}
 * decides what never ships because the workers' image holds it, and {@link
 * io.geneva.internal.publish.KnownObjects} is the local record of what a storage root holds.
 */
@NullMarked
package io.geneva.internal.publish;

import org.jspecify.annotations.NullMarked;
