package io.geneva.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of an object under a storage root: a relative, '/'-separated path such as {@code
 * packages/sha256/ab/ab12….jar} or {@code manifests/ab12….json}. Keys never contain {@code ..}, empty
 * segments, backslashes or a leading '/', so a storage can map a key to a file or an object name
 * without escaping its root.
 *
 * <p>Immutable and thread-safe.
 */
public final class ObjectKey implements Comparable<ObjectKey> {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** The prefix under which packages live. */
  public static final String PACKAGES = "packages/";

  /** The prefix under which manifests live. */
  public static final String MANIFESTS = "manifests/";

  private final String path;

  private ObjectKey(String path) {
    this.path = path;
  }

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException if the path is absolute, has empty, {@code .} or {@code ..}
   *     segments, or characters outside {@code [A-Za-z0-9._-]}
   */
  public static ObjectKey of(String path) {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (!validPath(path)) {
      throw new IllegalArgumentException(
          "object key \"" + path + "\" is not a relative path of [A-Za-z0-9._-] segments");
    }
    return new ObjectKey(path);
  }

  /** Non-empty segments of [A-Za-z0-9._-] separated by '/', none of them "." or "..". */
  private static boolean validPath(String path) {
    int segmentStart = 0;
    for (int i = 0; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        int length = i - segmentStart;
        if (length == 0
            || (length == 1 && path.charAt(segmentStart) == '.')
            || (length == 2 && path.startsWith("..", segmentStart))) {
          return false;
        }
        segmentStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** The key of a package with this SHA-256 (hex) and file extension: {@code packages/sha256/ab/<digest>.<ext>}. */
  public static ObjectKey forPackage(String sha256Hex, String extension) {
    requireDigest(sha256Hex);
    Objects.requireNonNull(extension, "extension");
    return of(PACKAGES + "sha256/" + sha256Hex.substring(0, 2) + "/" + sha256Hex + "." + extension);
  }

  /** The key of a manifest with this SHA-256 (hex): {@code manifests/<digest>.json}. */
  public static ObjectKey forManifest(String sha256Hex) {
    requireDigest(sha256Hex);
    return of(MANIFESTS + sha256Hex + ".json");
  }

  /** Whether this is a SHA-256 as Geneva names objects by it: 64 lower-case hex digits. */
  static boolean isDigest(String sha256Hex) {
    return SHA256_HEX.matcher(sha256Hex).matches();
  }

  private static void requireDigest(String sha256Hex) {
    if (!isDigest(sha256Hex)) {
      throw new IllegalArgumentException(
          "\"" + sha256Hex + "\" is not a lower-case hex SHA-256 digest (64 characters)");
    }
  }

  /** The key as a relative path. */
  public String path() {
    return path;
  }

  /** The last segment of the path. */
  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * The SHA-256 this key is named after, if it follows Geneva's content-addressed layout (the file
   * name without its extension is a hex digest).
   */
  public java.util.Optional<String> digest() {
    String name = fileName();
    int dot = name.indexOf('.');
    String stem = (dot < 0 ? name : name.substring(0, dot)).toLowerCase(Locale.ROOT);
    return SHA256_HEX.matcher(stem).matches()
        ? java.util.Optional.of(stem)
        : java.util.Optional.empty();
  }

  @Override
  public int compareTo(ObjectKey other) {
    return path.compareTo(other.path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKey && ((ObjectKey) o).path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path;
  }
}
