package io.geneva.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where a published manifest lives: {@code <storage root>/manifests/<sha256>.json}, the URI a
 * session reports ({@link io.geneva.GenevaSession#manifestUri()}) and a worker bootstraps from. It
 * splits into the {@linkplain #storageRoot() storage root}, which selects and opens the storage,
 * and the manifest's {@linkplain #digest() digest}, which names its {@linkplain #key() key} there
 * and against which its content is checked.
 *
 * <p>A manifest URI is absolute (it has a scheme), carries no credentials, query or fragment, and
 * ends in {@code /manifests/} followed by 64 lower-case hex digits and {@code .json}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ManifestUri {
  private static final String SHAPE = "<storage root>/manifests/<sha256>.json";
  private static final String SUFFIX = ".json";

  private final URI uri;
  private final URI storageRoot;
  private final String digest;

  private ManifestUri(URI uri, URI storageRoot, String digest) {
    this.uri = uri;
    this.storageRoot = storageRoot;
    this.digest = digest;
  }

  /**
   * Parses a manifest URI given as text, such as {@code s3://bucket/geneva/manifests/<sha256>.json}.
   *
   * @throws IllegalArgumentException naming the text, if it is not a URI or not a manifest URI
   */
  public static ManifestUri parse(String text) {
    Objects.requireNonNull(text, "text");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("manifest URI \"" + text + "\" is not a valid URI (" + e.getReason()
          + "); pass the URI a session published, " + SHAPE);
    }
    return of(uri);
  }

  /**
   * The manifest URI {@code uri} is.
   *
   * @throws IllegalArgumentException naming the URI and what is wrong with it, if it is not a
   *     manifest URI
   */
  public static ManifestUri of(URI uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.getRawUserInfo() != null) {
      // Never repeat the user part: it may be a secret.
      throw new IllegalArgumentException("manifest URI " + uri.getScheme() + "://…@" + uri.getHost()
          + " has credentials in it; remove them and configure credentials the storage's usual way");
    }
    String text = uri.toString();
    if (!uri.isAbsolute()) {
      throw invalid(text, "it has no scheme (such as s3: or file:)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(text, "it has a query or a fragment");
    }
    String name = text.substring(text.lastIndexOf('/') + 1);
    String directory = text.substring(0, text.length() - name.length());
    if (!directory.endsWith("/" + ObjectKey.MANIFESTS)) {
      throw invalid(text, "it is not in a manifests/ directory under a storage root");
    }
    String digest = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
    if (!ObjectKey.isDigest(digest)) {
      throw invalid(text, "its file name \"" + name + "\" is not the 64 lower-case hex digits of a SHA-256 and .json");
    }
    String root = directory.substring(0, directory.length() - ObjectKey.MANIFESTS.length());
    try {
      return new ManifestUri(uri, new URI(root), digest);
    } catch (URISyntaxException e) {
      throw invalid(text, "its storage root \"" + root + "\" is not a valid URI (" + e.getReason() + ")");
    }
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException("\"" + text + "\" is not a manifest URI (" + SHAPE + "): " + problem
        + "; pass the URI a session published");
  }

  /** The whole URI. */
  public URI uri() {
    return uri;
  }

  /**
   * The storage root the manifest is in: the URI up to and including the {@code /} before {@code
   * manifests/}, such as {@code s3://bucket/geneva/}.
   */
  public URI storageRoot() {
    return storageRoot;
  }

  /** The manifest's SHA-256, as 64 lower-case hex digits: what its content must hash to. */
  public String digest() {
    return digest;
  }

  /** The manifest's key under its storage root: {@code manifests/<digest>.json}. */
  public ObjectKey key() {
    return ObjectKey.forManifest(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManifestUri other && other.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  /** The URI, as text. */
  @Override
  public String toString() {
    return uri.toString();
  }
}
