package io.geneva.storage.s3;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.spi.ObjectKey;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads an object as a stream of ranged GETs of one part size each: the first range is fetched when
 * the stream is opened (so a small object costs one request, and a missing one fails at once), the
 * rest in parallel, at most {@code concurrency} ranges ahead of the reader, and served in order.
 * Later ranges are fetched with {@code If-Match} on the first one's ETag, so an object replaced
 * while it is read fails instead of mixing two versions.
 *
 * <p>For a key named by its digest, the bytes are checked against it: when the last range arrives,
 * before any of it is served, a mismatch throws {@link IntegrityException}.
 *
 * <p>Not thread-safe, like any stream. Failures are thrown as {@link StorageException}s.
 */
final class RangedObjectStream extends InputStream {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final S3Context s3;
  private final ObjectKey key;
  private final String name;
  private final long size;
  private final @Nullable String eTag;
  private final @Nullable MessageDigest digest;
  private final ArrayDeque<Future<byte[]>> ahead = new ArrayDeque<>();

  private byte[] chunk;
  private int position;
  /** Bytes of the object in chunks taken so far (the current one included). */
  private long taken;
  /** The offset of the next range to request. */
  private long requested;
  private boolean closed;
  private boolean verified;
  /** A failed digest check, thrown again by every later read. */
  private @Nullable IntegrityException corrupt;

  private RangedObjectStream(S3Context s3, ObjectKey key, String name, long size, @Nullable String eTag, byte[] first) {
    this.s3 = s3;
    this.key = key;
    this.name = name;
    this.size = size;
    this.eTag = eTag;
    this.digest = key.digest().isPresent() ? Sha256.newDigest() : null;
    this.requested = first.length;
    take(first);
  }

  /**
   * Opens an object: fetches its first range.
   *
   * @throws StorageException naming the object if it does not exist or cannot be read
   */
  static RangedObjectStream open(S3Context s3, ObjectKey key) {
    String name = s3.root.name(key);
    ResponseBytes<GetObjectResponse> first;
    try {
      try {
        first = get(s3, name, "bytes=0-" + (s3.partSize - 1), null);
      } catch (S3Exception e) {
        if (e.statusCode() != 416) {
          throw e;
        }
        first = get(s3, name, null, null); // an empty object has no first byte to ask for
      }
    } catch (SdkException e) {
      throw failure(s3, key, name, e);
    }
    GetObjectResponse response = first.response();
    long size = totalSize(response, first.asByteArrayUnsafe().length);
    return new RangedObjectStream(s3, key, name, size, response.eTag(), first.asByteArrayUnsafe());
  }

  private static ResponseBytes<GetObjectResponse> get(
      S3Context s3, String name, @Nullable String range, @Nullable String eTag) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(s3.bucket()).key(name);
    if (range != null) {
      request.range(range);
    }
    if (eTag != null) {
      request.ifMatch(eTag);
    }
    return s3.client.getObject(request.build(), ResponseTransformer.toBytes());
  }

  private static long totalSize(GetObjectResponse response, int received) {
    if (response.contentRange() != null) {
      Matcher m = CONTENT_RANGE.matcher(response.contentRange());
      if (m.matches()) {
        return Long.parseLong(m.group(3));
      }
    }
    return received; // the server sent the whole object
  }

  private static StorageException failure(S3Context s3, ObjectKey key, String name, RuntimeException e) {
    if (e instanceof S3Exception s && s.statusCode() == 404 && !"NoSuchBucket".equals(S3Failures.code(s).orElse(""))) {
      return new StorageException("object " + key + " does not exist in storage root " + s3.root.uri() + " ("
          + s3.root.describe(name) + " at " + s3.failures.endpoint() + ")", e, false);
    }
    if (e instanceof S3Exception s && s.statusCode() == 412) {
      return new StorageException("object " + key + " in storage root " + s3.root.uri()
          + " was replaced while it was read; read it again", e, true);
    }
    if (e instanceof SdkException sdk) {
      return s3.failures.of("read", name, sdk);
    }
    return e instanceof StorageException se ? se : new StorageException("cannot read " + key + ": " + e, e, true);
  }

  private byte[] fetch(long from, long to) {
    try {
      byte[] bytes = get(s3, name, "bytes=" + from + "-" + to, eTag).asByteArrayUnsafe();
      if (bytes.length != to - from + 1) {
        throw new StorageException("S3 at " + s3.failures.endpoint() + " returned " + bytes.length + " bytes of "
            + s3.root.describe(name) + " for range " + from + "-" + to + "; read it again", null, true);
      }
      return bytes;
    } catch (SdkException e) {
      throw failure(s3, key, name, e);
    }
  }

  private void fillWindow() {
    while (ahead.size() < s3.concurrency && requested < size) {
      long from = requested;
      long to = Math.min(size, from + s3.partSize) - 1;
      ahead.add(s3.submit(() -> fetch(from, to)));
      requested = to + 1;
    }
  }

  /** Makes a chunk current. */
  private void take(byte[] next) {
    chunk = next;
    position = 0;
    taken += next.length;
    if (taken > size) {
      throw new StorageException("S3 at " + s3.failures.endpoint() + " returned more bytes of "
          + s3.root.describe(name) + " than its size, " + size + "; read it again", null, true);
    }
    if (digest != null) {
      digest.update(next);
    }
  }

  /**
   * Checks the whole object against the key's digest once its last chunk is in, before any of that
   * chunk is served: a corrupt object's end never reaches the reader.
   */
  private void verifyIfLast() {
    if (corrupt != null) {
      throw corrupt;
    }
    if (digest == null || verified || taken < size) {
      return;
    }
    verified = true;
    String actual = Sha256.hex(digest.digest());
    String expected = key.digest().orElseThrow();
    if (!actual.equals(expected)) {
      chunk = new byte[0];
      position = 0;
      corrupt = new IntegrityException("object " + key + " in storage root " + s3.root.uri() + " has sha256 "
          + actual + ", not the " + expected + " its name says: it is corrupt. Delete " + key + " from "
          + s3.root.uri() + " so that the next session uploads it again");
      throw corrupt;
    }
  }

  /** Moves to the next chunk; false at the end of the object. */
  private boolean advance() {
    if (closed) {
      throw new StorageException("stream over " + key + " in " + s3.root.uri() + " is closed");
    }
    if (taken >= size) {
      return false;
    }
    fillWindow();
    Future<byte[]> next = ahead.poll();
    if (next == null) {
      throw new IllegalStateException("no range requested at " + taken + " of " + size);
    }
    byte[] bytes = s3.await(next, "reading " + key);
    fillWindow();
    take(bytes);
    return true;
  }

  @Override
  public int read() {
    while (position == chunk.length) {
      if (!advance()) {
        verifyIfLast();
        return -1;
      }
    }
    verifyIfLast();
    return chunk[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (position == chunk.length) {
      if (!advance()) {
        verifyIfLast();
        return -1;
      }
    }
    verifyIfLast();
    int n = Math.min(len, chunk.length - position);
    System.arraycopy(chunk, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return chunk.length - position;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      // Ranges in flight finish on their own and are dropped; queued ones never start.
      ahead.forEach(f -> f.cancel(false));
      ahead.clear();
      chunk = new byte[0];
      position = 0;
    }
  }
}
