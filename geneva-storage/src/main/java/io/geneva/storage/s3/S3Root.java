package io.geneva.storage.s3;

import io.geneva.ConfigurationException;
import io.geneva.spi.ObjectKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A storage root {@code s3://bucket/prefix}, parsed: the bucket, the object-name prefix (empty or
 * ending in '/'), and the canonical root URI ({@code s3://bucket/prefix/}), so that {@code
 * s3://b/p} and {@code s3://b/p/} name the same root. Immutable.
 */
final class S3Root {
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");

  private final URI uri;
  private final String bucket;
  private final String prefix;

  private S3Root(URI uri, String bucket, String prefix) {
    this.uri = uri;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * Parses a root URI.
   *
   * @throws ConfigurationException naming the URI if it is not {@code s3://bucket[/prefix]}
   */
  static S3Root parse(URI root) {
    if (root.getScheme() == null || !root.getScheme().toLowerCase(Locale.ROOT).equals("s3")) {
      throw invalid(root, "it is not an s3:// URI");
    }
    if (root.isOpaque()) {
      throw invalid(root, "it has no bucket; write s3://bucket/prefix");
    }
    if (root.getRawUserInfo() != null) {
      throw new ConfigurationException(
          "storage root s3://…@" + root.getHost() + " has credentials in it; remove them and configure"
              + " credentials the AWS way (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role)");
    }
    String bucket = root.getRawAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw invalid(root, "it has no bucket; write s3://bucket/prefix");
    }
    if (bucket.contains(":")) {
      throw invalid(root, "it has a port; an S3 root names a bucket, and the endpoint is set with"
          + " AWS_ENDPOINT_URL_S3 (or the storage builder's endpoint)");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw invalid(root, "\"" + bucket + "\" is not a bucket name");
    }
    if (root.getRawQuery() != null || root.getRawFragment() != null) {
      throw invalid(root, "it has a query or fragment; an S3 root is s3://bucket/prefix");
    }
    String path = root.getPath() == null ? "" : root.getPath();
    path = strip(path);
    if (!path.isEmpty()) {
      for (String segment : path.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw invalid(root, "its prefix \"" + path + "\" has an empty, \".\" or \"..\" segment");
        }
      }
    }
    String prefix = path.isEmpty() ? "" : path + "/";
    try {
      return new S3Root(new URI("s3", bucket, "/" + prefix, null), bucket, prefix);
    } catch (URISyntaxException e) {
      throw invalid(root, e.getReason());
    }
  }

  private static String strip(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  private static ConfigurationException invalid(URI root, String why) {
    return new ConfigurationException("storage root " + root + " is not a usable S3 root: " + why);
  }

  /** The canonical root URI, ending in '/'. */
  URI uri() {
    return uri;
  }

  String bucket() {
    return bucket;
  }

  /** The prefix of every object name, empty or ending in '/'. */
  String prefix() {
    return prefix;
  }

  /** The S3 object name of a key. */
  String name(ObjectKey key) {
    return prefix + key.path();
  }

  /** The S3 object name of a key prefix (for listing). */
  String name(String keyPrefix) {
    return prefix + keyPrefix;
  }

  /** The key an object name stands for, if it is under this root and a valid key. */
  Optional<ObjectKey> key(String objectName) {
    if (!objectName.startsWith(prefix) || objectName.length() == prefix.length()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ObjectKey.of(objectName.substring(prefix.length())));
    } catch (IllegalArgumentException notGenevas) {
      return Optional.empty();
    }
  }

  /** {@code s3://bucket/name}, for messages. */
  String describe(String objectName) {
    return "s3://" + bucket + "/" + objectName;
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
