package io.geneva;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a worker is told: the ordered classpath as content-addressed packages, the runtime it was
 * built on, and the JVM options and environment the session asks for. Its JSON form is canonical and
 * holds no local paths and no timestamps, so the same classpath content gives the same manifest
 * digest on any machine, under any path, into any store. Package keys are relative to the storage
 * root that holds the manifest.
 *
 * <p>Immutable and thread-safe.
 *
 * @param formatVersion the manifest format, {@link #FORMAT_VERSION} for manifests written by this
 *     version
 * @param classpath the packages in classpath order
 * @param runtime the JVM the classpath was packaged for
 * @param jvmOptions extra JVM options for workers
 * @param environment extra environment variables for workers
 * @param dependenciesInImage whether dependency jars are expected in the worker image instead of
 *     storage
 */
public record Manifest(
    int formatVersion,
    List<Package> classpath,
    Runtime runtime,
    List<String> jvmOptions,
    Map<String, String> environment,
    boolean dependenciesInImage) {

  /** The format version this library writes. */
  public static final int FORMAT_VERSION = 1;

  /** Checks and copies the components. */
  public Manifest {
    if (formatVersion < 1) {
      throw new IllegalArgumentException("formatVersion < 1: " + formatVersion);
    }
    classpath = List.copyOf(classpath);
    Objects.requireNonNull(runtime, "runtime");
    jvmOptions = List.copyOf(jvmOptions);
    environment = Map.copyOf(environment);
  }

  /**
   * One package: a dependency jar as it is, or a deterministic archive of (part of) a directory.
   *
   * @param key the object key relative to the storage root
   * @param sha256 the lower-case hex SHA-256 of the stored object
   * @param size the stored object's size in bytes
   * @param kind the classpath entry's kind
   * @param provided for a jar the worker image provides instead of storage, its file name; null for
   *     a package in storage
   */
  public record Package(String key, String sha256, long size, EntryKind kind,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String provided) {
    /** Checks the components. */
    public Package {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(kind, "kind");
      if (size < 0) {
        throw new IllegalArgumentException("size < 0: " + size);
      }
      if (provided != null && (provided.isEmpty() || provided.contains("/") || provided.contains("\\"))) {
        throw new IllegalArgumentException("a provided jar is named by its file name, not \"" + provided + "\"");
      }
    }

    /** A package in storage. */
    public Package(String key, String sha256, long size, EntryKind kind) {
      this(key, sha256, size, kind, null);
    }
  }

  /**
   * The JVM a classpath was packaged on.
   *
   * @param javaFeatureVersion the Java feature release, for example {@code 17}
   * @param os the operating system name, lower case, for example {@code linux}
   * @param arch the architecture, for example {@code amd64}
   */
  public record Runtime(int javaFeatureVersion, String os, String arch) {
    /** Checks the components. */
    public Runtime {
      Objects.requireNonNull(os, "os");
      Objects.requireNonNull(arch, "arch");
    }
  }
}
