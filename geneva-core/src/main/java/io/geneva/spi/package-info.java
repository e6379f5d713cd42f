/**
 * What a plugin author implements. A {@link io.geneva.spi.StorageProvider} is found by {@link
 * java.util.ServiceLoader} and serves one or more URI schemes; the {@link io.geneva.spi.Storage} it
 * creates holds content-addressed objects. Every implementation can run the storage contract test
 * suite shipped in {@code geneva-core}'s test jar ({@code io.geneva.spi.StorageContractTest}).
 */
@NullMarked
package io.geneva.spi;

import org.jspecify.annotations.NullMarked;
