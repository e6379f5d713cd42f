/**
 * A complete storage plugin, as a walk-through for plugin authors: the {@code httpstore} scheme, an
 * object store reached over plain HTTP ({@link io.geneva.examples.storage.HttpObjectStorage}), found
 * by {@link java.util.ServiceLoader} through {@link io.geneva.examples.storage.HttpStorageProvider},
 * and the small server it talks to ({@link io.geneva.examples.storage.HttpObjectServer}). Its test
 * runs Geneva's storage contract suite against it.
 */
@NullMarked
package io.geneva.examples.storage;

import org.jspecify.annotations.NullMarked;
