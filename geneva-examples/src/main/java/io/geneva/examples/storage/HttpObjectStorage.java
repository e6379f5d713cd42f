package io.geneva.examples.storage;

import io.geneva.ConfigurationException;
import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link Storage} on an {@link HttpObjectServer}: a storage plugin in one class, written against
 * the {@code io.geneva.spi} contract only.
 *
 * <p>How it keeps the contract (see {@link Storage}):
 *
 * <ul>
 *   <li><b>Nothing partial is visible.</b> A put sends {@code Content-Length} and the SHA-256 the
 *       content declares; the server writes the body aside and renames it into place only if both
 *       match. The client checks the bytes as they leave as well, so content that does not match its
 *       declared size or digest is an {@link IntegrityException} here, whichever side sees it first.
 *   <li><b>Failures say what failed.</b> Every {@link StorageException} names the key and the root;
 *       a dropped connection is retryable, a refusal is not.
 *   <li><b>findMissing</b> asks with one {@code HEAD} per key (this server has no batch call; a
 *       store that can list a batch at once should).
 * </ul>
 *
 * <p>Thread-safe: {@link HttpClient} is.
 */
public final class HttpObjectStorage implements Storage {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI root;
  private final URI base;
  private final String prefix;
  private final HttpClient http;

  private HttpObjectStorage(URI root, URI base, String prefix) {
    this.root = root;
    this.base = base;
    this.prefix = prefix;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * The storage of {@code httpstore://host:port/prefix}.
   *
   * @throws ConfigurationException if the URI has no host, a user part, a query or an unsafe prefix
   */
  public static HttpObjectStorage open(URI root) {
    if (root.getRawUserInfo() != null) { // never echo what may be a password
      throw new ConfigurationException("storage root httpstore://" + root.getHost() + ":" + root.getPort()
          + root.getRawPath() + " has a user part; this store takes no credentials in its URI");
    }
    if (!HttpStorageProvider.SCHEME.equalsIgnoreCase(root.getScheme()) || root.getHost() == null
        || root.getRawQuery() != null) {
      throw new ConfigurationException("storage root " + root + " is not httpstore://host[:port]/prefix");
    }
    String path = root.getPath() == null ? "" : root.getPath().replaceAll("^/+|/+$", "");
    if (!path.isEmpty()) {
      try {
        ObjectKey.of(path); // the same rules as keys: no empty, "." or ".." segments
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("storage root " + root + " has an unusable prefix: " + e.getMessage());
      }
    }
    String prefix = path.isEmpty() ? "" : path + "/";
    int port = root.getPort() == -1 ? 80 : root.getPort();
    URI canonical = URI.create(HttpStorageProvider.SCHEME + "://" + root.getHost() + ":" + port + "/" + prefix);
    return new HttpObjectStorage(canonical, URI.create("http://" + root.getHost() + ":" + port + "/"), prefix);
  }

  @Override
  public URI root() {
    return root;
  }

  private URI url(ObjectKey key) {
    return base.resolve(prefix + key.path());
  }

  @Override
  public Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    Map<ObjectKey, OptionalLong> missing = new LinkedHashMap<>();
    for (Map.Entry<ObjectKey, Long> e : expectedSizes.entrySet()) {
      Optional<StoredObject> stored = stat(e.getKey());
      if (stored.isEmpty()) {
        missing.put(e.getKey(), OptionalLong.empty());
      } else if (e.getValue() >= 0 && stored.get().size() != e.getValue()) {
        missing.put(e.getKey(), OptionalLong.of(stored.get().size()));
      }
    }
    return missing;
  }

  @Override
  public void put(ObjectKey key, Content content) {
    Verifying body;
    try {
      body = new Verifying(content.open(), content.size(), content.sha256());
    } catch (IOException e) {
      throw new StorageException("cannot read the content for " + key + ": " + e, e, false);
    }
    HttpRequest.BodyPublisher publisher;
    if (content.size() == 0) {
      try (body) {
        body.read(); // checks that it is empty and has the digest of nothing
      } catch (IOException e) {
        if (body.mismatch == null) {
          throw new StorageException("cannot read the content for " + key + ": " + e, e, false);
        }
        throw new IntegrityException("content for " + key + " " + body.mismatch + "; nothing was stored");
      }
      publisher = HttpRequest.BodyPublishers.noBody();
    } else {
      publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
          content.size());
    }
    HttpRequest request = HttpRequest.newBuilder(url(key)).timeout(TIMEOUT)
        .header(HttpObjectServer.SHA256_HEADER, content.sha256())
        .PUT(publisher)
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (body.mismatch != null) {
        throw new IntegrityException("content for " + key + " " + body.mismatch + "; nothing was stored");
      }
      throw new StorageException("cannot write " + key + " to " + root + ": " + e, e, body.readFailure == null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while writing " + key + " to " + root, e, true);
    }
    if (body.mismatch != null) {
      throw new IntegrityException("content for " + key + " " + body.mismatch + "; nothing was stored");
    }
    if (response.statusCode() == 400 && response.body().startsWith("digest mismatch")) {
      throw new IntegrityException("the server refused " + key + ": " + response.body());
    }
    check(response.statusCode(), "write", key, response.body());
  }

  @Override
  public InputStream open(ObjectKey key) {
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(url(key)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream(), "read", key);
    if (response.statusCode() == 404) {
      closeQuietly(response.body());
      throw new StorageException("object " + key + " is not in storage " + root);
    }
    if (response.statusCode() != 200) {
      closeQuietly(response.body());
      check(response.statusCode(), "read", key, "");
    }
    return response.body();
  }

  @Override
  public Optional<StoredObject> stat(ObjectKey key) {
    HttpResponse<Void> response = send(HttpRequest.newBuilder(url(key)).timeout(TIMEOUT)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding(), "stat", key);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    check(response.statusCode(), "stat", key, "");
    long size = response.headers().firstValueAsLong("Content-Length").orElse(0);
    long modified = response.headers().firstValueAsLong(HttpObjectServer.MODIFIED_HEADER).orElse(0);
    return Optional.of(new StoredObject(key, size, Instant.ofEpochMilli(modified)));
  }

  @Override
  public List<StoredObject> list(String keyPrefix) {
    URI uri = base.resolve("?list=" + URLEncoder.encode(prefix + keyPrefix, StandardCharsets.UTF_8));
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString(), "list", null);
    check(response.statusCode(), "list", null, response.body());
    List<StoredObject> objects = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].startsWith(prefix)) {
        objects.add(new StoredObject(ObjectKey.of(f[0].substring(prefix.length())), Long.parseLong(f[1]),
            Instant.ofEpochMilli(Long.parseLong(f[2]))));
      }
    }
    return objects;
  }

  @Override
  public void delete(ObjectKey key) {
    HttpResponse<Void> response = send(HttpRequest.newBuilder(url(key)).timeout(TIMEOUT).DELETE().build(),
        HttpResponse.BodyHandlers.discarding(), "delete", key);
    check(response.statusCode(), "delete", key, "");
  }

  @Override
  public void close() {
    // HttpClient holds nothing that must be released before Java 21.
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what,
      ObjectKey key) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new StorageException("cannot " + what + " " + (key == null ? "objects" : key.toString()) + " in " + root
          + ": " + e, e, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while trying to " + what + " in " + root, e, true);
    }
  }

  private void check(int status, String what, ObjectKey key, String body) {
    if (status / 100 != 2) {
      throw new StorageException("cannot " + what + " " + (key == null ? "objects" : key.toString()) + " in " + root
          + ": the server answered " + status + (body.isBlank() ? "" : " (" + body.strip() + ")"), null,
          status / 100 == 5);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // discarding a response
    }
  }

  /**
   * The content as it is sent: checked against its declared size and digest, failing the upload
   * (so the server sees a short body and stores nothing) before the last byte of a wrong one leaves.
   */
  private static final class Verifying extends FilterInputStream {
    private final long size;
    private final String sha256;
    private final MessageDigest digest;
    private long read;
    private boolean verified;
    volatile String mismatch;
    volatile IOException readFailure;

    Verifying(InputStream in, long size, String sha256) {
      super(in);
      this.size = size;
      this.sha256 = sha256;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, (int) Math.min(len, Math.max(1, size - read)));
      } catch (IOException e) {
        readFailure = e;
        throw e;
      }
      if (n == -1) {
        if (read != size) {
          throw fail("has " + read + " bytes, not the " + size + " it declares");
        }
        verify(); // empty content: nothing was read to check it on
        return -1;
      }
      if (read + n > size) {
        throw fail("has more than the " + size + " bytes it declares");
      }
      digest.update(b, off, n);
      read += n;
      if (read == size) {
        if (super.read() != -1) {
          throw fail("has more than the " + size + " bytes it declares");
        }
        verify(); // before its last bytes leave
      }
      return n;
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      verified = true;
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw fail("has sha256 " + actual + ", not " + sha256 + " as declared");
      }
    }

    private IOException fail(String what) {
      mismatch = what;
      return new IOException("content " + what);
    }
  }
}
