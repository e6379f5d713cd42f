package io.geneva.internal.session;

import io.geneva.ClasspathProfile;
import io.geneva.ClusterSpec;
import io.geneva.ProgressListener;
import io.geneva.internal.io.FileOpener;
import io.geneva.spi.Storage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a session needs to open, as built by {@link io.geneva.GenevaSession.Builder}.
 * Implementation detail: the builder is the public way to make one.
 *
 * @param storageRoot the storage root URI, if one was given
 * @param storage a storage instance the caller owns, if one was given
 * @param classpath classpath elements, unexpanded
 * @param classpathOrigin where the classpath came from, for messages
 * @param excludes user exclude patterns
 * @param defaultExcludes whether the default excludes apply
 * @param home the Geneva home
 * @param projectDirectory the project directory
 * @param listener progress listener
 * @param skipMissingEntries whether a missing entry is a warning
 * @param parallelism threads for hashing and packing
 * @param clock wall clock
 * @param storageRecheckAfter age after which the record of stored objects is re-checked
 * @param verifyStorage whether stored packages are read back and checked
 * @param jvmOptions worker JVM options for the manifest
 * @param environment worker environment for the manifest
 * @param opener opens source files (tests inject failures here)
 * @param cluster the cluster spec, if one was set (otherwise a default local cluster, started lazily)
 * @param dependenciesInImage whether dependency jars are provided by the worker image, not uploaded
 * @param classpathProfiles the frameworks whose jars the cluster image provides, if set explicitly
 *     (otherwise detected from the classpath)
 */
public record SessionConfig(
    Optional<URI> storageRoot,
    Optional<Storage> storage,
    List<String> classpath,
    String classpathOrigin,
    List<String> excludes,
    boolean defaultExcludes,
    Path home,
    Path projectDirectory,
    ProgressListener listener,
    boolean skipMissingEntries,
    int parallelism,
    Clock clock,
    Duration storageRecheckAfter,
    boolean verifyStorage,
    List<String> jvmOptions,
    Map<String, String> environment,
    FileOpener opener,
    Optional<ClusterSpec> cluster,
    boolean dependenciesInImage,
    Optional<List<ClasspathProfile>> classpathProfiles) {

  /** Copies the collections. */
  public SessionConfig {
    classpathProfiles = classpathProfiles.map(List::copyOf);
    classpath = List.copyOf(classpath);
    excludes = List.copyOf(excludes);
    jvmOptions = List.copyOf(jvmOptions);
    environment = Map.copyOf(environment);
  }

  /** This config reading files through another opener (for tests). */
  public SessionConfig withOpener(FileOpener other) {
    return new SessionConfig(storageRoot, storage, classpath, classpathOrigin, excludes,
        defaultExcludes, home, projectDirectory, listener, skipMissingEntries, parallelism, clock,
        storageRecheckAfter, verifyStorage, jvmOptions, environment, other, cluster, dependenciesInImage,
        classpathProfiles);
  }

  /** The storage root: the given one, or {@code <home>/storage}. */
  public URI effectiveStorageRoot() {
    return storageRoot.orElseGet(() -> home.resolve("storage").toUri());
  }
}
