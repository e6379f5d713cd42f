package io.geneva;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns what a user typed as a storage root into a URI. */
final class StorageRoots {
  private StorageRoots() {}

  static URI parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new ConfigurationException(
          "storage root is empty; pass a URI such as s3://bucket/prefix or file:///path, or a local path");
    }
    // A scheme of one letter is a Windows drive, and no scheme at all is a local path.
    int colon = trimmed.indexOf(':');
    if (colon > 1 && trimmed.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      try {
        return normalize(new URI(trimmed));
      } catch (URISyntaxException e) {
        throw new ConfigurationException(
            "storage root \"" + text + "\" is not a valid URI (" + e.getReason()
                + "); percent-encode special characters or pass a local path");
      }
    }
    try {
      return Path.of(trimmed).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          "storage root \"" + text + "\" is not a valid local path (" + e.getReason() + ")");
    }
  }

  static URI normalize(URI uri) {
    if (uri.getScheme() == null) {
      return parse(uri.toString());
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawUserInfo() != null) {
      throw new ConfigurationException(
          "storage root " + scheme + "://…@" + uri.getHost()
              + " has credentials in it; remove them and configure credentials the storage's usual way");
    }
    if (scheme.equals(uri.getScheme())) {
      return uri;
    }
    return URI.create(scheme + ":" + uri.getRawSchemeSpecificPart());
  }
}
