package io.geneva.spi;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A content-addressed object store under one root URI. Geneva names every object by its SHA-256
 * ({@link ObjectKey#forPackage}, {@link ObjectKey#forManifest}), so an object, once written, never
 * changes; a storage may rely on that to make {@link #put} idempotent.
 *
 * <p>Contract (checked by the storage contract test suite):
 *
 * <ul>
 *   <li>{@link #findMissing} answers for a whole batch with as few round trips as the backend
 *       allows, and treats an object whose size differs from the expected one as missing.
 *   <li>{@link #put} streams the content, verifies its size and SHA-256 before the object becomes
 *       visible, and makes it visible only whole (never a partial object under the final key). A
 *       mismatch throws {@link IntegrityException} and leaves nothing behind. Two concurrent puts of
 *       the same key both succeed.
 *   <li>{@link #open} fails with {@link StorageException} naming the key when the object is absent.
 *   <li>Failures are {@link StorageException}s that say whether a retry may help; messages never
 *       contain credentials, tokens or signed URLs.
 * </ul>
 *
 * <p>Implementations are thread-safe. {@link #close()} is idempotent and throws nothing checked; the
 * party that created a storage closes it (Geneva closes storages it created from a URI, never one
 * passed to it).
 */
public interface Storage extends AutoCloseable {

  /** The root URI this storage was created for, without credentials. */
  URI root();

  /** The URI of an object under this root (for manifests and reports; never signed). */
  default URI uri(ObjectKey key) {
    String root = root().toString();
    return URI.create(root.endsWith("/") ? root + key.path() : root + "/" + key.path());
  }

  /**
   * Which of these objects are absent, or present with another size. The map gives each key's
   * expected size; a size of {@code -1} means any size is acceptable.
   *
   * <p>A storage learns the size of what it finds while it checks (a listing, a HEAD, a stat), so it
   * returns it: a key stored with the wrong size is a truncated or damaged object, which Geneva
   * replaces and reports, without asking about each missing key again.
   *
   * @return each key that must be written, mapped to the size stored under it, or to an empty
   *     {@code OptionalLong} if nothing is; in no particular order
   */
  Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes);

  /**
   * Writes an object, verified against {@link Content#size()} and {@link Content#sha256()}.
   *
   * @throws IntegrityException if the bytes read do not match; nothing is made visible
   * @throws StorageException if the write fails
   */
  void put(ObjectKey key, Content content);

  /**
   * Opens an object for reading; the caller closes the stream.
   *
   * @throws StorageException naming the key if the object does not exist or cannot be read
   */
  InputStream open(ObjectKey key);

  /** The object's size and time, or empty if it does not exist. */
  Optional<StoredObject> stat(ObjectKey key);

  /** Every object whose key starts with this prefix (for example {@link ObjectKey#MANIFESTS}). */
  List<StoredObject> list(String prefix);

  /** Deletes an object; deleting an absent object is not an error. */
  void delete(ObjectKey key);

  /**
   * The storage's local staging capability, if its objects live on a local file system (see {@link
   * LocalStaging}). Default: none.
   */
  default Optional<LocalStaging> localStaging() {
    return Optional.empty();
  }

  /** Releases what this storage holds. Idempotent. */
  @Override
  void close();
}
